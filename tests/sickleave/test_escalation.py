"""A missed deadline escalates to the unit's HR advisor once, with the days
overdue, through the real timer path (the background worker included)."""

from datetime import date

import pytest

from cases import services as case_services
from cases.models import CaseEvent, EventKind
from notifications.models import Kind, Notification, OutgoingEmail
from sickleave import selectors, services
from sickleave.models import Escalation
from tests.sickleave.conftest import open_task, oslo

pytestmark = pytest.mark.django_db


def register(sick, grade=100):
    return services.absence_register(actor=sick.leader, employee=sick.employee, unit=sick.ivt,
                                     first_day=date(2026, 3, 2), grade=grade)


def test_missed_plan_deadline_escalates_to_hr_with_days_overdue(sick, frozen):
    frozen(oslo(2026, 3, 2, 9))
    followup = register(sick)
    case = followup.case

    # Three weeks: a reminder to the leader, no escalation yet.
    frozen(oslo(2026, 3, 23, 8, 0, 1))
    case_services.cases_wake_due()
    assert Notification.objects.filter(user=sick.leader, kind=Kind.REMINDER).exists()
    assert not Escalation.objects.exists()

    frozen(oslo(2026, 3, 30, 16, 0, 1))
    case_services.cases_wake_due()
    escalation = Escalation.objects.get(followup=followup, deadline="plan")
    assert escalation.due_at == oslo(2026, 3, 30, 16, 0)
    assert escalation.notified == 1
    hr_note = Notification.objects.get(user=sick.hr, kind=Kind.OVERDUE)
    # Confidential: a generic sentence, no reference, no name.
    assert case.reference not in hr_note.text and "Kari" not in hr_note.text
    assert not Notification.objects.filter(user__in=[sick.nv_hr, sick.employee],
                                           kind=Kind.OVERDUE).exists()
    # The e-mail to HR carries no case content either.
    email = OutgoingEmail.objects.get(to="hr@example.org")
    for secret in (case.reference, "Kari", "Syk", "plan", "Plan", "employee"):
        assert secret not in email.subject + email.body
    make_plan = open_task(case, "make_plan")
    assert make_plan.escalated_at is not None
    assert CaseEvent.objects.filter(case=case, kind=EventKind.ESCALATED).exists()

    # Three days later HR sees it three days overdue; a second wake adds nothing.
    frozen(oslo(2026, 4, 2, 10))
    case_services.cases_wake_due()
    assert Escalation.objects.filter(followup=followup).count() == 1
    [unit] = selectors.hr_overdue(user=sick.hr)
    plan_item = next(i for i in unit.items if i.row.key == "plan")
    assert plan_item.row.days_overdue == 3
    assert plan_item.escalated_at == escalation.escalated_at
    assert selectors.hr_overdue(user=sick.nv_hr)[0].items == []


def test_meeting_1_escalates_once_for_decision_and_meeting(sick, frozen):
    """Partial absence: the late decision and then the late meeting are one
    missed deadline (dialogue meeting 1), escalated once."""
    frozen(oslo(2026, 3, 2, 9))
    followup = register(sick, grade=50)
    frozen(oslo(2026, 4, 21, 9))
    case_services.cases_wake_due()
    assert Escalation.objects.filter(followup=followup, deadline="dm1").count() == 1
    case_services.task_complete(actor=sick.leader,
                                task_id=open_task(followup.case, "decide_dm1").pk,
                                data={"dm1_decision": "hold"})
    # The meeting's own timer (also past) fires at once and marks the new task.
    assert open_task(followup.case, "invite_dm1").escalated_at is not None
    assert Escalation.objects.filter(followup=followup, deadline="dm1").count() == 1
    assert Notification.objects.filter(user=sick.hr, kind=Kind.OVERDUE).count() == 2  # plan+dm1


def test_background_worker_fires_the_escalation(sick, frozen, run_worker,
                                               django_capture_on_commit_callbacks):
    """The wake-up job is queued at the timer's due time when the case is
    saved; the real db_worker runs it once that time has come."""
    frozen(oslo(2026, 3, 2, 9))
    with django_capture_on_commit_callbacks(execute=True):
        followup = register(sick)
    frozen(oslo(2026, 3, 23, 8, 1))
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()  # the reminder; schedules the next wake-up
    frozen(oslo(2026, 3, 30, 16, 1))
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()
    assert Escalation.objects.filter(followup=followup, deadline="plan").exists()
