"""Retry or discard a failed background job (the failed-jobs page and
``manage.py failed_jobs``). A retried job gets one more try now; if it fails
again it comes back to the page with its new error. A job kind whose work
gave up by itself (a failed e-mail) is given one more try by its retry hook
(``cases.jobs.on_retry``)."""

import logging

from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cases.jobs import before_retry

logger = logging.getLogger(__name__)


class JobNotFailed(Exception):
    """No failed job with this id (retried, discarded or never failed)."""


def _locked_failed(job_id: str) -> DBTaskResult:
    job = (
        DBTaskResult.objects.select_for_update()
        .filter(pk=job_id, status=TaskResultStatus.FAILED)
        .first()
    )
    if job is None:
        raise JobNotFailed(job_id)
    return job


@transaction.atomic
def failed_job_retry(*, job_id: str, actor_id: int | None = None) -> None:
    job = _locked_failed(job_id)
    before_retry(job)
    job.status = TaskResultStatus.READY
    job.run_after = timezone.now()
    job.finished_at = None
    job.save(update_fields=["status", "run_after", "finished_at"])
    logger.info("Failed job %s (%s) retried by user %s", job.pk, job.task_path, actor_id)


@transaction.atomic
def failed_job_discard(*, job_id: str, actor_id: int | None = None) -> None:
    job = _locked_failed(job_id)
    job.delete()
    logger.warning("Failed job %s (%s) discarded by user %s", job_id, job.task_path, actor_id)
