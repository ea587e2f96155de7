"""Reminders before a due date and escalations of overdue work run on the
same scheduled-job mechanism as process timers (django-tasks with run_after),
not on a scan of cases."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django_tasks_db.models import DBTaskResult

from cases.models import Task, TaskState
from incidents.services import incident_report_submit
from notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")


def test_reminder_is_scheduled_before_due_and_sent_by_the_worker(
    definitions, people, report_data, django_capture_on_commit_callbacks, run_worker
):
    # Monday 09:00: triage is due Wednesday 16:00, the reminder two days before.
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=OSLO), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            case = incident_report_submit(reporter=people["reporter"], data=report_data)
        triage = Task.objects.get(case=case, bpmn_id="triage", state=TaskState.READY)
        assert triage.due_at == datetime(2026, 11, 25, 16, 0, tzinfo=OSLO)
        run_worker()  # the notification job schedules the reminder
        job = DBTaskResult.objects.get(task_path__endswith="task_reminder")
        assert job.run_after == datetime(2026, 11, 23, 16, 0, tzinfo=OSLO)
        assert not Notification.objects.filter(kind=Kind.REMINDER).exists()

    with time_machine.travel(datetime(2026, 11, 23, 16, 1, tzinfo=OSLO), tick=False):
        run_worker()
    reminded = set(
        Notification.objects.filter(kind=Kind.REMINDER).values_list("user__username", flat=True)
    )
    assert reminded == {"coordinator", "coordinator2"}


def test_no_reminder_for_a_task_completed_in_time(
    definitions, people, report_data, django_capture_on_commit_callbacks, run_worker
):
    from cases import services

    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=OSLO), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            case = incident_report_submit(reporter=people["reporter"], data=report_data)
        triage = Task.objects.get(case=case, bpmn_id="triage", state=TaskState.READY)
        services.task_complete(actor=people["coordinator"], task_id=triage.pk,
                               data={"triage_decision": "reject", "rejection_reason": "x"})
    with time_machine.travel(datetime(2026, 11, 23, 16, 1, tzinfo=OSLO), tick=False):
        run_worker()
    assert not Notification.objects.filter(kind=Kind.REMINDER).exists()


def test_overdue_triage_escalates_to_the_unit_leader(
    definitions, people, report_data, django_capture_on_commit_callbacks, run_worker
):
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=OSLO), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            case = incident_report_submit(reporter=people["reporter"], data=report_data)
    with time_machine.travel(datetime(2026, 11, 25, 16, 1, tzinfo=OSLO), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            run_worker()  # wakes the case: the timer escalates
        run_worker()  # the escalation's notification job
    overdue = Notification.objects.filter(kind=Kind.OVERDUE, case=case)
    assert set(overdue.values_list("user__username", flat=True)) == {"leader"}
    assert Task.objects.get(case=case, bpmn_id="triage").escalated_at is not None
