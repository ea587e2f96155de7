"""Leases and heartbeats on background jobs (cases.leases, manage.py
jobs_worker): a dead worker's job returns to the queue, a live worker's job is
never taken, tries are bounded, a stopping worker finishes or returns its job."""

import signal
import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cases import leases, worker
from cases.models import WorkerHeartbeat
from tests.cases import jobs_for_tests

pytestmark = pytest.mark.django_db


def claimed(job_task, *args, by: str, beat_ago: timedelta | None, tries: int = 1):
    """A job claimed by worker ``by`` (after ``tries - 1`` earlier tries),
    whose last heartbeat was ``beat_ago`` (None: it never beat)."""
    result = job_task.enqueue(*args)
    job = DBTaskResult.objects.get(pk=result.id)
    job.worker_ids = [f"earlier-{n}" for n in range(tries - 1)]
    job.claim(by)
    if beat_ago is not None:
        now = timezone.now()
        WorkerHeartbeat.objects.create(worker_id=by, started_at=now - timedelta(hours=1),
                                       beat_at=now - beat_ago)
    return job


def refreshed(job) -> DBTaskResult:
    return DBTaskResult.objects.get(pk=job.pk)


def test_a_dead_workers_job_returns_to_the_queue_and_runs_again(run_worker):
    job = claimed(jobs_for_tests.record, "once", by="dead", beat_ago=timedelta(minutes=3))

    assert leases.reap_expired() == 1
    assert refreshed(job).status == TaskResultStatus.READY
    run_worker()
    job = refreshed(job)
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert job.worker_ids[0] == "dead" and len(job.worker_ids) == 2
    assert Group.objects.filter(name="once").count() == 1


def test_the_worker_itself_reaps_before_it_looks_for_work(run_worker):
    job = claimed(jobs_for_tests.record, "reaped", by="dead", beat_ago=timedelta(minutes=5))
    run_worker()
    assert refreshed(job).status == TaskResultStatus.SUCCESSFUL
    assert Group.objects.filter(name="reaped").exists()


def test_a_live_workers_job_is_never_taken_however_long_it_runs(run_worker):
    job = claimed(jobs_for_tests.record, "long", by="alive", beat_ago=timedelta(seconds=5))
    DBTaskResult.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(hours=3))

    assert leases.reap_expired() == 0
    run_worker()
    job = refreshed(job)
    assert job.status == TaskResultStatus.RUNNING and job.worker_ids == ["alive"]
    assert not Group.objects.filter(name="long").exists()


def test_a_job_whose_worker_never_beat_expires_a_lease_after_it_started():
    job = claimed(jobs_for_tests.record, "silent", by="stock-worker", beat_ago=None)
    assert leases.reap_expired() == 0
    # Leases run on the database's clock: the start is moved back instead.
    DBTaskResult.objects.filter(pk=job.pk).update(
        started_at=timezone.now() - timedelta(minutes=2, seconds=1))
    assert leases.reap_expired() == 1
    assert refreshed(job).status == TaskResultStatus.READY


def test_a_job_whose_worker_dies_on_every_try_fails_for_good(settings):
    job = claimed(jobs_for_tests.record, "poison", by="dead", beat_ago=timedelta(minutes=3),
                  tries=settings.VARDE_JOB_MAX_TRIES)
    assert leases.reap_expired() == 1
    job = refreshed(job)
    assert job.status == TaskResultStatus.FAILED
    assert job.exception_class_path == "cases.leases.WorkerLost"


def test_a_failing_job_is_retried_with_back_off_then_failed(run_worker, settings):
    result = jobs_for_tests.fail_always.enqueue("x")
    now = timezone.now()
    delays = []
    for _attempt in range(settings.VARDE_JOB_MAX_TRIES):
        with time_machine.travel(now, tick=False):
            run_worker()
        job = DBTaskResult.objects.get(pk=result.id)
        if job.status == TaskResultStatus.READY:
            delays.append(job.run_after - now)
            now = job.run_after
    assert job.status == TaskResultStatus.FAILED
    assert job.exception_class_path == "builtins.RuntimeError"
    assert len(job.worker_ids) == settings.VARDE_JOB_MAX_TRIES
    assert delays == [timedelta(seconds=30), timedelta(minutes=1), timedelta(minutes=2),
                      timedelta(minutes=4)]


def test_a_job_taken_away_mid_run_leaves_no_effect(run_worker, monkeypatch):
    """The job's effects and its SUCCESSFUL commit together, and only while the
    worker still holds the job (here: another worker took it meanwhile)."""
    monkeypatch.setattr(leases, "lock_if_held", lambda job_id, worker_id: None)
    result = jobs_for_tests.record.enqueue("twice")
    run_worker()
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING
    assert not Group.objects.filter(name="twice").exists()


@pytest.fixture
def signal_handlers(monkeypatch):
    """The worker installs its own handlers in this (main) thread: restore them."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    monkeypatch.setattr(worker, "close_old_connections", lambda: None)
    monkeypatch.setattr(worker.Heartbeat, "start", lambda self: None)
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def run_forever():
    """A worker that would poll for ever unless a signal stops it."""
    call_command("jobs_worker", batch=False, startup_delay=False, reload=False, interval=0.01,
                 verbosity=0)


def test_sigterm_lets_the_current_job_finish_then_stops_the_worker(signal_handlers):
    result = jobs_for_tests.stopped.enqueue("finished", 1)
    run_forever()  # returns: the signal stopped the loop
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL
    assert Group.objects.filter(name="finished").exists()
    assert not WorkerHeartbeat.objects.exists(), "a clean exit holds no lease"


def test_a_second_sigterm_returns_the_job_untried(signal_handlers, monkeypatch):
    monkeypatch.setattr(worker, "SAME_STOP_SECONDS", 0)  # the second one comes at once here
    result = jobs_for_tests.stopped.enqueue("returned", 2)
    with pytest.raises(SystemExit):
        run_forever()
    job = DBTaskResult.objects.get(pk=result.id)
    assert job.status == TaskResultStatus.READY and job.worker_ids == []
    assert not Group.objects.filter(name="returned").exists()


def test_signals_arriving_together_are_one_stop(signal_handlers):
    """systemd (KillMode=control-group) or a terminal signals the worker and
    bin/serve's supervisor passes its own signal on: still one clean stop."""
    result = jobs_for_tests.stopped.enqueue("together", 2)
    run_forever()  # returns: no SystemExit
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL
    assert Group.objects.filter(name="together").exists()


@pytest.mark.parametrize("message, usable", [
    ("database is locked", True),  # SQLite: a writer held the lock past the busy timeout
    ("terminating connection due to administrator command", False),  # PostgreSQL cut
])
def test_a_job_that_lost_the_database_goes_back_untried_and_runs_at_once(
    run_worker, monkeypatch, message, usable
):
    from django.db import connection

    name = f"lost-{usable}"
    if not usable:
        monkeypatch.setattr(connection, "is_usable", lambda: False)
    result = jobs_for_tests.loses_database.enqueue(name, message)
    run_worker()
    job = DBTaskResult.objects.get(pk=result.id)
    assert job.status == TaskResultStatus.SUCCESSFUL, job.traceback
    assert leases.tries(job) == 1, "the run that lost the database counted as a try"
    assert not Group.objects.filter(name=f"{name}-1").exists()  # rolled back
    assert Group.objects.filter(name=f"{name}-2").exists()


def test_a_database_error_of_the_job_itself_is_a_failed_try(run_worker):
    """A query error on a connection that still works is the job's fault."""
    result = jobs_for_tests.loses_database.enqueue("own-error", "no such column: x")
    run_worker()
    job = DBTaskResult.objects.get(pk=result.id)
    assert job.status == TaskResultStatus.READY and len(job.worker_ids) == 1
    assert job.exception_class_path == "django.db.utils.OperationalError"


def test_a_job_that_loses_the_database_every_time_ends_failed(run_worker, settings):
    """A poison job: a few untried returns with a growing wait, then each
    run is a failed try, until the failed-jobs page."""
    from tests.audit20.jobs import always_locked

    result = always_locked.enqueue("poison-bounded")
    start = timezone.now()
    for hour in range(leases.MAX_UNTRIED_RETURNS + settings.VARDE_JOB_MAX_TRIES + 2):
        with time_machine.travel(start + timedelta(hours=hour), tick=False):
            run_worker()
    job = DBTaskResult.objects.get(pk=result.id)
    assert job.status == TaskResultStatus.FAILED
    assert leases.tries(job) == settings.VARDE_JOB_MAX_TRIES
    assert leases.untried_returns(job) == leases.MAX_UNTRIED_RETURNS
    assert job.exception_class_path == "django.db.utils.OperationalError"


@pytest.mark.realtime
def test_a_heartbeat_that_cannot_beat_reports_it_once(monkeypatch):
    from django.db import InterfaceError

    def beat(worker_id, *, started_at=None):
        raise InterfaceError("connection already closed")

    monkeypatch.setattr(leases, "beat", beat)
    lost = []
    heart = worker.Heartbeat("cannot-beat", 0.02, limit=0.1, on_lost=lambda: lost.append(1))
    heart.start()
    time.sleep(0.5)
    heart.stopped.set()
    heart.join(timeout=2)
    assert lost == [1] and not heart.fresh() and not heart.is_alive()


@pytest.mark.realtime
def test_a_worker_that_cannot_beat_stops_its_job_and_claims_no_other(run_worker, monkeypatch):
    """Another worker may take the job once the lease runs out: this one
    stops it (rolled back, given back untried) rather than run it unleased."""
    from tests.audit20.jobs import slow_record

    def start(self):
        def cannot_beat():
            self.last_beat = float("-inf")
            self.on_lost()

        threading.Timer(0.3, cannot_beat).start()

    monkeypatch.setattr(worker.Heartbeat, "start", start)
    result = slow_record.enqueue("unleased", 1)
    slow_record.enqueue("not-claimed", 0)
    run_worker()
    job = DBTaskResult.objects.get(pk=result.id)
    assert job.status == TaskResultStatus.READY and leases.tries(job) == 0
    assert not Group.objects.filter(name__in=["unleased", "not-claimed"]).exists()


@pytest.mark.realtime
def test_a_lost_lease_does_not_stop_a_job_recording_an_effect_done(run_worker, monkeypatch):
    """The mail server accepted the message and the job is recording it when
    the heartbeat gives up: stopping the job now would send it again on the
    rerun, so it finishes."""
    from tests.audit20.jobs import effect_then_record

    def start(self):
        def cannot_beat():
            self.last_beat = float("-inf")
            self.on_lost()

        threading.Timer(0.3, cannot_beat).start()

    monkeypatch.setattr(worker.Heartbeat, "start", start)
    result = effect_then_record.enqueue("recorded", 1)
    run_worker()
    job = DBTaskResult.objects.get(pk=result.id)
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert Group.objects.filter(name="recorded").exists()
