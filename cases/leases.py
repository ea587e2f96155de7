"""Leases on background jobs: at-least-once execution over django-tasks-db.

django-tasks-db marks a job RUNNING when a worker claims it and never looks
at it again if that worker dies (its issue #46). This module adds the smallest
layer beside it, on the same ``DBTaskResult`` rows:

- heartbeats, job starts and lease expiry use the database's clock (``Now()``),
  never a host's: hosts sharing the database may disagree on the time;
- every worker (``manage.py jobs_worker``) writes a ``WorkerHeartbeat`` row
  every ``VARDE_JOB_HEARTBEAT`` from a thread of its own, also while a job runs;
- a RUNNING job is held by the last worker in its ``worker_ids``; when that
  worker's heartbeat is older than ``VARDE_JOB_LEASE`` (or it never beat and
  the job started longer ago than that) any worker returns the job to the
  queue. A live worker's job is never taken, however long it runs;
- the number of claims (``tries``) is the number of tries: a job that
  failed, or whose worker died, goes back to the queue with a back-off until
  ``VARDE_JOB_MAX_TRIES``, then stays FAILED for the failed-jobs page.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import BooleanField, DateTimeField, ExpressionWrapper, Q, Value
from django.db.models.functions import Now
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from cases.jobs import GiveUp
from cases.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# Heartbeat rows of workers gone this long are deleted.
FORGET_WORKERS_AFTER = timedelta(days=1)


def _db_now_minus(span: timedelta):
    """The database's clock less ``span``: leases never compare one host's
    clock with another's (hosts sharing the database may disagree)."""
    return ExpressionWrapper(Now() - Value(span), output_field=DateTimeField())


def beat(worker_id: str, *, started_at=None) -> None:
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(beat_at=Now())
    if not updated:
        WorkerHeartbeat.objects.create(
            worker_id=worker_id, started_at=started_at or timezone.now(), beat_at=Now()
        )


def claim(job: DBTaskResult, worker_id: str) -> None:
    """DBTaskResult.claim, with the start on the database's clock (a lease
    whose worker never beat runs from it)."""
    job.status = TaskResultStatus.RUNNING
    job.started_at = Now()
    job.worker_ids = [*job.worker_ids, worker_id]
    job.save(update_fields=["status", "started_at", "worker_ids"])
    job.refresh_from_db(fields=["started_at"])


def forget(worker_id: str) -> None:
    """A clean exit: the worker holds no job any more."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def holder(job: DBTaskResult) -> str | None:
    return job.worker_ids[-1] if job.worker_ids else None


# A claim given back untried because the database went away stays in
# worker_ids with this prefix: it is no try, but it is counted, so that a job
# that loses the database on every run (a poison job) is bounded.
UNTRIED = "untried:"
# Untried returns a job gets; after them losing the database is a failed try.
MAX_UNTRIED_RETURNS = 3


def tries(job: DBTaskResult) -> int:
    return sum(1 for worker_id in job.worker_ids if not worker_id.startswith(UNTRIED))


def untried_returns(job: DBTaskResult) -> int:
    return len(job.worker_ids) - tries(job)


def untried_delay(returns_so_far: int) -> timedelta:
    """The first untried return runs again at once (the database is back);
    the next ones wait 15 s, then 30 s."""
    if returns_so_far == 0:
        return timedelta(0)
    return timedelta(seconds=15 * 2 ** (returns_so_far - 1))


def retry_delay(tries_so_far: int) -> timedelta:
    """30 s after the first failure, then 1, 2, 4 … minutes (at most an hour)."""
    return min(timedelta(seconds=30 * 2 ** max(tries_so_far - 1, 0)), timedelta(hours=1))


def expired_jobs(*, now=None) -> list[DBTaskResult]:
    """RUNNING jobs whose holder has not beaten within the lease, on the
    database's clock (``now`` is unused: kept for callers).

    RUNNING rows are few (one per busy worker), so they are read whole and
    matched with the workers' beats in Python, the same on every database.
    """
    bound = _db_now_minus(settings.VARDE_JOB_LEASE)
    running = list(
        DBTaskResult.objects.running()
        .annotate(started_long_ago=ExpressionWrapper(Q(started_at__lt=bound),
                                                     output_field=BooleanField()))
        .only("id", "worker_ids", "started_at", "status")
    )
    holders = {holder(job) for job in running} - {None}
    beats = dict(
        WorkerHeartbeat.objects.filter(worker_id__in=holders)
        .annotate(beat_long_ago=ExpressionWrapper(Q(beat_at__lt=bound),
                                                  output_field=BooleanField()))
        .values_list("worker_id", "beat_long_ago")
    )
    expired = []
    for job in running:
        beat_long_ago = beats.get(holder(job))
        if beat_long_ago is None:  # never beat (or forgotten): a lease from its start
            beat_long_ago = job.started_at is None or bool(job.started_long_ago)
        if beat_long_ago:
            expired.append(job)
    return expired


def reap_expired(*, now=None) -> int:
    """Return the jobs of dead workers to the queue (or fail them for good
    after the last try). Returns how many jobs were handled."""
    now = now or timezone.now()
    handled = 0
    for stale in expired_jobs(now=now):
        with exclusive_transaction(DBTaskResult.objects.db):
            job = DBTaskResult.objects.select_for_update().filter(pk=stale.pk).first()
            # Re-checked under the lock: finished, or claimed again, meanwhile.
            if (
                job is None
                or job.status != TaskResultStatus.RUNNING
                or holder(job) != holder(stale)
            ):
                continue
            if tries(job) >= settings.VARDE_JOB_MAX_TRIES:
                _fail(job, "cases.leases.WorkerLost",
                      f"The worker running this job stopped {tries(job)} times.")
                logger.error("Job %s failed for good: its worker died on every try", job.pk)
            else:
                requeue(job, run_after=now)
                logger.warning("Job %s returned to the queue: worker %s stopped beating",
                               job.pk, holder(job))
            handled += 1
    return handled


def requeue(job: DBTaskResult, *, run_after) -> None:
    job.status = TaskResultStatus.READY
    job.run_after = run_after
    job.save(update_fields=["status", "run_after"])


def _fail(job: DBTaskResult, exception_class_path: str, traceback: str) -> None:
    job.status = TaskResultStatus.FAILED
    job.finished_at = timezone.now()
    job.exception_class_path = exception_class_path
    job.traceback = traceback
    job.return_value = None
    job.save(update_fields=["status", "finished_at", "exception_class_path", "traceback",
                            "return_value"])


def lock_if_held(job_id, worker_id: str) -> DBTaskResult | None:
    """The job row, locked, if this worker still holds it (inside a
    transaction); None if its lease was taken away meanwhile."""
    job = DBTaskResult.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.status != TaskResultStatus.RUNNING or holder(job) != worker_id:
        return None
    return job


def after_failure(job: DBTaskResult, exc: BaseException, traceback: str) -> bool:
    """Record a failed try: back to the queue with a back-off, or FAILED after
    the last try (or at once if the job gave up by itself: ``GiveUp``).
    Returns True if the job will run again."""
    job.exception_class_path = f"{type(exc).__module__}.{type(exc).__qualname__}"
    job.traceback = traceback
    if tries(job) < settings.VARDE_JOB_MAX_TRIES and not isinstance(exc, GiveUp):
        job.status = TaskResultStatus.READY
        job.run_after = timezone.now() + retry_delay(tries(job))
        job.save(update_fields=["status", "run_after", "exception_class_path", "traceback"])
        return True
    _fail(job, job.exception_class_path, traceback)
    return False


def release(job_id, worker_id: str) -> bool:
    """Give a job back untried (a worker stopping, or losing its database
    mid-job): READY now, and the claim does not count as a try."""
    with transaction.atomic():
        job = lock_if_held(job_id, worker_id)
        if job is None:
            return False
        job.worker_ids = job.worker_ids[:-1]
        job.status = TaskResultStatus.READY
        job.save(update_fields=["worker_ids", "status"])
    return True


def return_untried(job_id, worker_id: str, exc: BaseException, traceback: str) -> bool:
    """Give back a job that failed because the database went away: untried
    (its claim marked, not counted) and due again after ``untried_delay``;
    after ``MAX_UNTRIED_RETURNS`` such returns it is a failed try like any
    other (``after_failure``), so a job that breaks the database itself each
    time ends on the failed-jobs page. Returns False if the job was no longer
    this worker's."""
    with transaction.atomic():
        job = lock_if_held(job_id, worker_id)
        if job is None:
            return False
        returned = untried_returns(job)
        if returned >= MAX_UNTRIED_RETURNS:
            after_failure(job, exc, traceback)
            return True
        job.worker_ids = [*job.worker_ids[:-1], UNTRIED + worker_id]
        job.status = TaskResultStatus.READY
        job.run_after = timezone.now() + untried_delay(returned)
        job.exception_class_path = f"{type(exc).__module__}.{type(exc).__qualname__}"
        job.traceback = traceback
        job.save(update_fields=["worker_ids", "status", "run_after", "exception_class_path",
                                "traceback"])
    return True


def forget_dead_workers(*, now=None) -> int:
    deleted, _rows = WorkerHeartbeat.objects.filter(
        beat_at__lt=_db_now_minus(FORGET_WORKERS_AFTER)
    ).delete()
    return deleted
