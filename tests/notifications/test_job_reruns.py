"""A job whose worker dies is run again, and the rerun of every job kind has
its effect once: no second notification, e-mail, reminder, digest or timer.

The worker is "killed" at the worst moment: after the job's work, before its
row says SUCCESSFUL (``Killed`` escapes the worker as SIGKILL would: no
bookkeeping). A later worker, past the lease, returns the job to the queue
and runs it again.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cases.models import CaseEvent, EventKind, Task, TaskState, WorkerHeartbeat
from cases.worker import Worker
from incidents.services import incident_report_submit
from notifications.models import Delivery, EmailStatus, Kind, Notification, OutgoingEmail
from notifications.services import preference_update
from notifications.tasks import send_email

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")
PAST_THE_LEASE = timedelta(minutes=2, seconds=30)


class Killed(BaseException):
    pass


@pytest.fixture
def kill_once(monkeypatch):
    """kill_once("send_email"): the next such job dies before its commit."""
    targets = set()
    mark, record = Worker._mark_successful, Worker._record_failure

    def dying_mark(self, job, value):
        name = job.task_path.rsplit(".", 1)[-1]
        if name in targets:
            targets.discard(name)
            raise Killed(name)
        return mark(self, job, value)

    def no_bookkeeping(self, job, exc):
        if isinstance(exc, Killed):
            raise exc
        return record(self, job, exc)

    monkeypatch.setattr(Worker, "_mark_successful", dying_mark)
    monkeypatch.setattr(Worker, "_record_failure", no_bookkeeping)
    return targets.add


@pytest.fixture
def with_emails(people):
    for user in people.values():
        user.email = f"{user.username}@example.no"
        user.save()
    return people


def monday_morning() -> datetime:
    """Next week's Monday 09:00 in Oslo (no holiday moves Monday's deadlines)."""
    today = timezone.localdate()
    monday = today + timedelta(days=7 - today.weekday() + 7)
    return datetime(monday.year, monday.month, monday.day, 9, 0, tzinfo=OSLO)


def die_then_rerun(run_worker, kill_once, job_name, now):
    kill_once(job_name)
    with time_machine.travel(now, tick=False), pytest.raises(Killed):
        run_worker()
    # Left as SIGKILL leaves it.
    job = DBTaskResult.objects.get(task_path__endswith=job_name, status=TaskResultStatus.RUNNING)
    lease_runs_out()
    with time_machine.travel(now + PAST_THE_LEASE, tick=False):
        run_worker()
        run_worker()
    return DBTaskResult.objects.get(pk=job.pk)


def lease_runs_out():
    """The dead worker's lease runs out. Leases run on the database's clock,
    which time travel does not move: its start and beats are moved back."""
    long_ago = datetime(2000, 1, 1, tzinfo=ZoneInfo("UTC"))
    DBTaskResult.objects.running().update(started_at=long_ago)
    WorkerHeartbeat.objects.update(beat_at=long_ago)


def sent_message_ids() -> list[str]:
    return [m.extra_headers["Message-ID"] for m in mail.outbox]


def test_notifications_and_their_emails_once_after_the_job_died(
    definitions, with_emails, report_data, run_worker, kill_once
):
    now = monday_morning()
    with time_machine.travel(now, tick=False):
        case = incident_report_submit(reporter=with_emails["reporter"], data=report_data)
    job = die_then_rerun(run_worker, kill_once, "notify_for_events", now)
    assert job.status == TaskResultStatus.SUCCESSFUL and len(job.worker_ids) == 2
    waiting = Notification.objects.filter(case=case, kind=Kind.TASK_WAITING)
    assert sorted(waiting.values_list("user__username", flat=True)) == [
        "coordinator", "coordinator2"]
    assert OutgoingEmail.objects.count() == 2
    assert len(mail.outbox) == 2 and len(set(sent_message_ids())) == 2
    assert DBTaskResult.objects.filter(task_path__endswith="task_reminder").count() == 1


def test_an_email_accepted_by_the_server_is_not_sent_again(
    definitions, with_emails, report_data, run_worker, kill_once
):
    now = monday_morning()
    kill_once("send_email")
    with time_machine.travel(now, tick=False):
        incident_report_submit(reporter=with_emails["reporter"], data=report_data)
        with pytest.raises(Killed):
            run_worker()
    assert len(mail.outbox) == 1, "the server accepted the first mail before the kill"
    lease_runs_out()
    with time_machine.travel(now + PAST_THE_LEASE, tick=False):
        run_worker()
    assert len(mail.outbox) == 2, "the other e-mail, once"
    assert len(set(sent_message_ids())) == 2
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {EmailStatus.SENT}


def test_an_email_left_sending_goes_again_with_the_same_message_id(with_emails):
    email = OutgoingEmail.objects.create(to="a@example.no", subject="s", body="b")
    assert send_email.call(email.pk) == "sent"
    email.refresh_from_db()
    first_id = email.message_id
    assert mail.outbox[0].extra_headers["Message-ID"] == first_id
    assert send_email.call(email.pk) == "skipped"
    # The worker died after the server took it, before SENT was written.
    OutgoingEmail.objects.filter(pk=email.pk).update(status=EmailStatus.SENDING)
    assert send_email.call(email.pk) == "sent"
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [first_id, first_id]


def test_a_reminder_once_after_the_job_died(
    definitions, people, report_data, run_worker, kill_once
):
    now = monday_morning()
    with time_machine.travel(now, tick=False):
        incident_report_submit(reporter=people["reporter"], data=report_data)
        run_worker()
    reminder = DBTaskResult.objects.get(task_path__endswith="task_reminder")
    job = die_then_rerun(run_worker, kill_once, "task_reminder",
                         reminder.run_after + timedelta(minutes=1))
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert Notification.objects.filter(kind=Kind.REMINDER).count() == 2


def test_a_digest_once_after_the_job_died(
    definitions, with_emails, report_data, run_worker, kill_once
):
    preference_update(user=with_emails["coordinator"], delivery=Delivery.DIGEST)
    now = monday_morning()
    with time_machine.travel(now, tick=False):
        incident_report_submit(reporter=with_emails["reporter"], data=report_data)
        run_worker()
    digest = DBTaskResult.objects.filter(task_path__endswith="send_digest").earliest("run_after")
    die_then_rerun(run_worker, kill_once, "send_digest", digest.run_after + timedelta(minutes=1))
    assert OutgoingEmail.objects.filter(to="coordinator@example.no").count() == 1
    assert len([m for m in mail.outbox if m.to == ["coordinator@example.no"]]) == 1


def test_a_timer_fires_once_after_the_job_died(
    definitions, people, report_data, run_worker, kill_once
):
    now = monday_morning()
    with time_machine.travel(now, tick=False):
        case = incident_report_submit(reporter=people["reporter"], data=report_data)
        run_worker()
    triage = Task.objects.get(case=case, bpmn_id="triage", state=TaskState.READY)
    job = die_then_rerun(run_worker, kill_once, "wake_case", triage.due_at + timedelta(minutes=1))
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert CaseEvent.objects.filter(case=case, kind=EventKind.TIMER).count() == 1
    assert CaseEvent.objects.filter(case=case, kind=EventKind.ESCALATED).count() == 1



@pytest.mark.django_db(transaction=True)
def test_a_sent_email_waits_out_a_database_outage_before_recording_it(monkeypatch):
    """The mail server accepted the message while the database was away: the
    SENT record waits for the database instead of leaving the e-mail SENDING
    (whose rerun would send it a second time)."""
    from django.db import OperationalError
    from django.db.models import QuerySet

    from notifications import tasks

    email = OutgoingEmail.objects.create(to="kari@example.no", subject="Hei", body="Hei.",
                                         status=EmailStatus.SENDING, attempts=1)
    calls = {"n": 0}
    real_update = QuerySet.update

    def flaky_update(self, **kwargs):
        if kwargs.get("status") == EmailStatus.SENT and calls["n"] < 2:
            calls["n"] += 1
            raise OperationalError("database is locked")
        return real_update(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", flaky_update)
    monkeypatch.setattr(tasks.time, "sleep", lambda seconds: None)
    tasks._record_sent(email.pk, timezone.now())
    email.refresh_from_db()
    assert calls["n"] == 2 and email.status == EmailStatus.SENT
