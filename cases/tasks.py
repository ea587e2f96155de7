"""Background jobs (django-tasks): wake a case when its timer is due."""

from django_tasks import task

from cases import services


@task()
def wake_case(case_id: int) -> None:
    services.case_wake(case_id=case_id)
