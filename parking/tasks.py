"""Background jobs (django-tasks) of near-parking."""

from django_tasks import task


@task()
def purge_health_data(application_id: int) -> bool:
    """Delete the application's health information if its decision is final
    now; scheduled for the end of each appeal period and after each final
    decision (``parking.services.retention.health_data_purge_schedule``)."""
    from parking.services.retention import health_data_purge_if_final

    return health_data_purge_if_final(application_id)
