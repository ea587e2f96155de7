"""Audit of issue 20 (background work survives killed workers): defects found.

Each test states what the issue or README promises and fails today
(``xfail(strict=True)``): when the defect is fixed the test passes and the
marker must go."""

import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import InterfaceError
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cases import leases, worker
from cases.models import WorkerHeartbeat
from tests.audit20 import jobs

pytestmark = pytest.mark.django_db


def test_a_job_that_loses_the_database_on_every_run_is_bounded(monkeypatch, settings):
    monkeypatch.setattr(worker, "close_old_connections", lambda: None)
    monkeypatch.setattr(worker.Heartbeat, "start", lambda self: None)
    result = jobs.always_locked.enqueue("poison")
    # Four times the allowed tries; in batch mode the worker would otherwise
    # never stop, as the job is due again at once after every run.
    call_command("jobs_worker", batch=True, startup_delay=False, reload=False, interval=0,
                 verbosity=0, max_tasks=4 * settings.VARDE_JOB_MAX_TRIES)
    job = DBTaskResult.objects.get(pk=result.id)
    assert job.status == TaskResultStatus.FAILED or (
        job.status == TaskResultStatus.READY and job.run_after > timezone.now()
        and len(job.worker_ids) >= 1
    ), (job.status, job.worker_ids)


@pytest.mark.realtime
def test_the_heartbeat_survives_an_interface_error(monkeypatch):
    beats = []

    def beat(worker_id, *, started_at=None):
        beats.append(worker_id)
        if len(beats) == 1:
            raise InterfaceError("connection already closed")

    monkeypatch.setattr(leases, "beat", beat)
    heart = worker.Heartbeat("audit-heart", 0.05)
    errors = []
    monkeypatch.setattr(threading, "excepthook", lambda args: errors.append(args.exc_type))
    heart.start()
    time.sleep(0.5)
    heart.stopped.set()
    heart.join(timeout=2)
    assert len(beats) >= 3, f"the heartbeat thread died after {len(beats)} beat(s): {errors}"


def test_a_reaper_with_a_clock_ahead_does_not_take_a_live_workers_job(settings):
    result = jobs.slow_record.enqueue("live-elsewhere", 0)
    job = DBTaskResult.objects.get(pk=result.id)
    job.claim("host-a-worker")
    leases.beat("host-a-worker")  # host A: its clock is right, it beats now
    ahead = settings.VARDE_JOB_LEASE + timedelta(seconds=15)
    with time_machine.travel(timezone.now() + ahead, tick=False):  # host B's clock
        leases.reap_expired()
    assert DBTaskResult.objects.get(pk=job.pk).status == TaskResultStatus.RUNNING
    assert WorkerHeartbeat.objects.filter(worker_id="host-a-worker").exists()
