"""django-tasks-db's worker with leases, heartbeats, bounded tries and a
clean stop (``manage.py jobs_worker``; see ``cases.leases``).

What differs from the stock ``db_worker``:

- a thread beats for the worker every ``VARDE_JOB_HEARTBEAT``; every loop
  returns expired jobs of dead workers to the queue;
- a job runs inside one transaction with its row's SUCCESSFUL, committed only
  if this worker still holds the job; a job that raises goes back to the queue
  with a back-off until its last try (``cases.leases.after_failure``);
- losing the database does not stop the worker: it waits and goes on; a job
  that failed because the database went away (a cut connection, SQLite's
  lock held past its timeout) goes back to the queue untried as soon as the
  database answers again, instead of counting a try and waiting a back-off
  (a few times, with a growing wait; then it is a failed try);
- the heartbeat thread survives every error; a worker whose beats do not get
  through for nearly a lease claims nothing and stops its job;
- SIGTERM/SIGINT: the current job finishes, then the worker exits; a second
  signal stops the job (its transaction rolls back) and returns it untried.
  A second signal within ``SAME_STOP_SECONDS`` of the first is the same stop
  (systemd's default KillMode and a terminal's Ctrl-C signal every process,
  and ``bin/serve``'s supervisor passes its own signal on as well).
"""

import contextlib
import ctypes
import logging
import signal
import threading
import time
import traceback as tb

from django.conf import settings
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
    transaction,
)
from django.db import (
    Error as DatabaseLayerError,
)
from django.utils import timezone
from django_tasks_db.compat import TaskContext, TaskResultStatus, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker as StockWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from cases import leases
from cases.jobs import recording_effect, runs_in_own_transactions
from varde.unavailable import is_database_unreachable

logger = logging.getLogger("cases.worker")


class LeaseLost(Exception):
    """The job was returned to the queue while this worker ran it."""


class LeaseExpired(BaseException):
    """Raised into the worker's main thread when its heartbeat could not beat
    for nearly a lease: another worker may take the job now, so this one stops
    it (its transaction rolls back). A BaseException, so that a job catching
    ``Exception`` does not swallow it."""


class Heartbeat(threading.Thread):
    """Beats for the worker every ``interval`` on a connection of its own.

    No error ends the thread: a database error (any ``django.db.Error``,
    InterfaceError included) closes the connection, which the next beat opens
    again. When no beat has got through for ``limit`` seconds (two beats short
    of the lease) ``on_lost`` runs once, until a beat gets through again."""

    def __init__(self, worker_id: str, interval: float, *, limit: float | None = None,
                 on_lost=None):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.interval = interval
        self.limit = limit if limit is not None else float("inf")
        self.on_lost = on_lost
        self.started_at = timezone.now()
        self.last_beat = time.monotonic()
        self.lost = False
        self.stopped = threading.Event()

    def beat_once(self) -> bool:
        try:
            leases.beat(self.worker_id, started_at=self.started_at)
        except DatabaseLayerError as exc:
            logger.warning("Heartbeat of %s failed: %s", self.worker_id, exc.__class__.__name__)
            return False
        except Exception:
            logger.exception("Heartbeat of %s failed", self.worker_id)
            return False
        else:
            self.last_beat = time.monotonic()
            self.lost = False
            return True
        finally:
            with contextlib.suppress(Exception):
                connection.close()

    def fresh(self) -> bool:
        """A beat got through within the limit: the worker's lease holds."""
        return time.monotonic() - self.last_beat < self.limit

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            self.beat_once()
            if not self.fresh() and not self.lost:
                self.lost = True
                logger.error("Worker %s could not beat for %.0f s: its lease may expire",
                             self.worker_id, time.monotonic() - self.last_beat)
                if self.on_lost is not None:
                    with contextlib.suppress(Exception):
                        self.on_lost()


SAME_STOP_SECONDS = 2.0


def database_lost(exc: BaseException) -> bool:
    """The job failed because the database went away, not by itself: a
    connection error after which the connection is gone or unusable, or
    SQLite's write lock held past its busy timeout. (A connection error on a
    usable connection, e.g. a bad query, is the job's own failure.)"""
    if not is_database_unreachable(exc):
        return False
    if any(isinstance(e, OperationalError) and e.args and is_locked_database_exception(e)
           for e in _chain(exc)):
        return True
    try:
        return connection.connection is None or not connection.is_usable()
    except Exception:  # noqa: BLE001 - whatever it is, the connection is not there
        return True


def _chain(exc: BaseException | None):
    while exc is not None:
        yield exc
        exc = exc.__cause__ or exc.__context__


class Worker(StockWorker):
    def __init__(self, *, heartbeat_seconds: float, **kwargs):
        super().__init__(**kwargs)
        lease = settings.VARDE_JOB_LEASE.total_seconds()
        self.heartbeat = Heartbeat(
            self.worker_id, heartbeat_seconds,
            limit=max(lease - 2 * heartbeat_seconds, heartbeat_seconds),
            on_lost=self.lease_lost,
        )
        self.main_thread_id = threading.get_ident()
        self.wake = threading.Event()
        # Healthy since for ever until the database is first lost: a worker
        # that starts reaps at once (the batch runs of cron and tests too).
        self.healthy_since: float | None = float("-inf")
        self.last_reap = 0.0
        self.stop_signalled = float("-inf")

    # Signals: the first one lets the job finish, the second stops it.
    def shutdown(self, signum, frame) -> None:
        if not self.running and time.monotonic() - self.stop_signalled < SAME_STOP_SECONDS:
            return
        if not self.running:
            logger.warning("Received %s again: stopping the current job.",
                           signal.strsignal(signum))
            self.reset_signals()
            raise SystemExit(1)
        logger.warning("Received %s: finishing the current job, then stopping.",
                       signal.strsignal(signum))
        self.running = False
        self.stop_signalled = time.monotonic()
        self.wake.set()

    def run(self) -> None:
        logger.info("Starting worker %s (queues %s)", self.worker_id, ",".join(self.queue_names))
        try:
            leases.beat(self.worker_id, started_at=self.heartbeat.started_at)
            self.heartbeat.last_beat = time.monotonic()
        except DatabaseLayerError as exc:
            self.unhealthy(exc)
        self.heartbeat.start()
        try:
            while self.running:
                try:
                    self.reap_if_due()
                    # No work without a lease that holds.
                    job = self.claim_next() if self.heartbeat.fresh() else None
                except DatabaseError as exc:
                    self.unhealthy(exc)
                    job = None
                    retrieved = False
                else:
                    retrieved = True
                if job is not None:
                    with contextlib.suppress(LeaseExpired):  # arrived as the job ended
                        self.run_task(job)
                if self.batch and retrieved and job is None:
                    return
                if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                    return
                close_old_connections()
                if self.running and job is None:
                    self.wake.wait(self.interval)
        finally:
            self.heartbeat.stopped.set()
            with contextlib.suppress(DatabaseError):  # else the lease expires by itself
                leases.forget(self.worker_id)
            logger.info("Worker %s stopped", self.worker_id)

    def reap_if_due(self) -> None:
        now = time.monotonic()
        if self.healthy_since is None:
            self.healthy_since = now
        # Reap only after two beats of good health, so that workers that lost
        # the database with this one have beaten again since it came back.
        interval = self.heartbeat.interval
        if now - self.healthy_since >= 2 * interval and now - self.last_reap >= interval:
            self.last_reap = now
            leases.reap_expired()

    def lease_lost(self) -> None:
        """From the heartbeat thread: no beat for nearly a lease. The job
        running now is stopped (another worker may take it after the lease);
        no job is claimed until a beat gets through again. A job recording an
        effect already done outside the database (``cases.jobs.effect_done``)
        is left to finish: stopping it would repeat the effect."""
        if self.running_task and not recording_effect(self.main_thread_id):
            ctypes.pythonapi.PyThreadState_SetAsyncExc(
                ctypes.c_ulong(self.main_thread_id), ctypes.py_object(LeaseExpired)
            )
        self.wake.set()

    def unhealthy(self, exc: Exception) -> None:
        if self.healthy_since is not None:
            logger.warning("Worker %s lost the database (%s); waiting for it",
                           self.worker_id, exc.__class__.__name__)
        self.healthy_since = None
        with contextlib.suppress(DatabaseError):
            connection.close()
        self.wake.wait(max(self.interval, 1))

    def claim_next(self) -> DBTaskResult | None:
        close_old_connections()
        jobs = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            jobs = jobs.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            jobs = jobs.exclude(queue_name__in=self.excluded_queue_names)
        try:
            with exclusive_transaction(jobs.db):
                job = jobs.get_locked()
                if job is not None:
                    leases.claim(job, self.worker_id)
                return job
        except DatabaseError as exc:
            if is_locked_database_exception(exc):
                return None
            raise

    def run_task(self, job: DBTaskResult) -> None:
        self.running_task = True
        try:
            self._run(job)
        except LeaseLost:
            logger.warning("Job %s was taken from worker %s; its effects rolled back",
                           job.pk, self.worker_id)
        except LeaseExpired:
            logger.error("Job %s stopped: worker %s could not beat; it goes back untried",
                         job.pk, self.worker_id)
            self._release(job)
        except (SystemExit, KeyboardInterrupt):
            self._release(job)
            raise
        except BaseException as exc:
            if database_lost(exc):
                self._return_untried(job, exc)
            else:
                self._record_failure(job, exc)
        finally:
            self.running_task = False
            self._run_tasks += 1

    def _run(self, job: DBTaskResult) -> None:
        task = job.task
        result = job.task_result
        task_started.send(sender=type(task.get_backend()), task_result=result)
        args = (TaskContext(task_result=result), *result.args) if task.takes_context \
            else tuple(result.args)
        if runs_in_own_transactions(task):
            value = task.call(*args, **result.kwargs)
            with transaction.atomic():
                self._mark_successful(job, value)
        else:
            with transaction.atomic():
                value = task.call(*args, **result.kwargs)
                self._mark_successful(job, value)
        task_finished.send(sender=type(task.get_backend()), task_result=job.task_result)

    def _mark_successful(self, job: DBTaskResult, value) -> None:
        held = leases.lock_if_held(job.pk, self.worker_id)
        if held is None:
            raise LeaseLost(job.pk)
        job.status = held.status = TaskResultStatus.SUCCESSFUL
        job.finished_at = held.finished_at = timezone.now()
        job.return_value = held.return_value = value
        held.exception_class_path = held.traceback = ""
        held.save(update_fields=["status", "return_value", "finished_at",
                                 "exception_class_path", "traceback"])

    def _record_failure(self, job: DBTaskResult, exc: BaseException) -> None:
        """Back to the queue with a back-off, or FAILED; retried until the
        database takes it (a job may have failed because it went away)."""
        text = "".join(tb.format_exception(exc))
        logger.warning("Job %s (%s) failed: %s", job.pk, job.task_path, exc.__class__.__name__)
        while True:
            try:
                close_old_connections()
                with transaction.atomic():
                    held = leases.lock_if_held(job.pk, self.worker_id)
                    if held is not None:
                        leases.after_failure(held, exc, text)
                return
            except DatabaseError as db_exc:
                self.unhealthy(db_exc)
                if not self.running:
                    return  # stopping: the lease returns the job

    def _return_untried(self, job: DBTaskResult, exc: BaseException) -> None:
        """The job failed because the database went away: its transaction
        rolled back; give it back untried once the database answers (a few
        times at most: ``leases.return_untried``)."""
        logger.warning("Job %s (%s) lost the database (%s); it goes back untried",
                       job.pk, job.task_path, exc.__class__.__name__)
        text = "".join(tb.format_exception(exc))
        while True:
            try:
                close_old_connections()
                leases.return_untried(job.pk, self.worker_id, exc, text)
                return
            except (DatabaseError, InterfaceError) as db_exc:
                self.unhealthy(db_exc)
                if not self.running:
                    return  # stopping: the lease returns the job

    def _release(self, job: DBTaskResult) -> None:
        try:
            leases.release(job.pk, self.worker_id)
            logger.warning("Job %s returned to the queue by stopping worker %s",
                           job.pk, self.worker_id)
        except DatabaseLayerError:
            pass  # the lease returns it
