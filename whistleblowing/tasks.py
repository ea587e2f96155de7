"""Background jobs (django-tasks) of the channel."""

from django_tasks import task


@task()
def run_batch() -> dict:
    """The scheduled batch; queues the next one before it returns."""
    from whistleblowing.services.batch import batch_ensure_scheduled, batch_run

    result = batch_run()
    batch_ensure_scheduled()
    return result


@task()
def purge_expired() -> int:
    from whistleblowing.services.retention import purge_expired as purge

    return purge()
