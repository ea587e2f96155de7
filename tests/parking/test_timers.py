"""Renewal reminder, expiry and the documentation deadline, with shifted
time. The timers are BPMN timers of each case; the background worker wakes
a case at its own due time (one scheduled job per case, no scan of permits).
"""

from datetime import datetime, time, timedelta

import pytest
from django_tasks_db.models import DBTaskResult

from cases import services
from cases.calendar import OSLO
from cases.models import CaseEvent, CaseStatus, EventKind
from notifications.models import Kind, Notification
from parking.models import ApplicationStatus, Permit, PermitStatus
from tests.conftest import make_user
from tests.parking.conftest import complete, ready

pytestmark = pytest.mark.django_db

SECOND = timedelta(seconds=1)


def oslo(day, hour=0, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=OSLO)


@pytest.fixture
def granted(apply, staff, to_allocation, units, zones, time_machine):
    """Kari's permanent permit for Gløshaugen A, granted on 2 March 2026."""
    time_machine.move_to(oslo(datetime(2026, 3, 2).date(), 10), tick=False)
    kari = make_user("kari", email="kari@example.no")
    app = apply(kari)
    complete(staff["officer"], to_allocation(app).case, "allocate",
             {"allocation_decision": "grant"})
    return app


def test_permit_dates_reminder_and_expiry(granted, zones, time_machine):
    permit = Permit.objects.get(application=granted)
    assert permit.valid_from.isoformat() == "2026-03-02"
    assert permit.valid_to.isoformat() == "2027-03-01"  # 12 months, never more
    case = granted.case
    case.refresh_from_db()
    reminder_at = oslo(permit.valid_to - timedelta(days=30), 9)  # 30 Jan 2027 09:00
    assert case.next_timer_at == reminder_at

    time_machine.move_to(reminder_at - SECOND, tick=False)
    services.case_wake(case_id=case.pk)
    permit.refresh_from_db()
    assert permit.renewal_reminded_at is None

    time_machine.move_to(reminder_at + SECOND, tick=False)
    services.case_wake(case_id=case.pk)
    permit.refresh_from_db()
    assert permit.renewal_reminded_at is not None
    reminder = Notification.objects.get(user=granted.applicant, kind=Kind.REMINDER)
    assert "Gløshaugen" not in reminder.text  # confidential: a generic sentence only
    case.refresh_from_db()
    expires_at = oslo(permit.valid_to + timedelta(days=1))  # the night after the last day
    assert case.next_timer_at == expires_at
    assert ready(case, "permit_active")  # the reminder does not end the permit

    time_machine.move_to(expires_at - SECOND, tick=False)
    services.case_wake(case_id=case.pk)
    permit.refresh_from_db()
    assert permit.status == PermitStatus.ACTIVE

    time_machine.move_to(expires_at + SECOND, tick=False)
    services.case_wake(case_id=case.pk)
    permit.refresh_from_db()
    case.refresh_from_db()
    assert permit.status == PermitStatus.EXPIRED and permit.end_reason == "expired"
    assert case.status == CaseStatus.COMPLETED and case.outcome == "expired"
    zones["a"].refresh_from_db()
    assert zones["a"].occupied == 0
    assert CaseEvent.objects.filter(case=case, kind=EventKind.TIMER).count() == 2


def test_the_worker_wakes_the_case_at_its_own_time(
    apply, staff, to_allocation, units, zones, time_machine, run_worker,
    django_capture_on_commit_callbacks,
):
    """The grant schedules one wake-up job for the reminder time; the real
    db_worker runs it when that time has come."""
    time_machine.move_to(oslo(datetime(2026, 3, 2).date(), 10), tick=False)
    app = apply(make_user("kari"))
    with django_capture_on_commit_callbacks(execute=True):
        complete(staff["officer"], to_allocation(app).case, "allocate",
                 {"allocation_decision": "grant"})
    permit = Permit.objects.get(application=app)
    jobs = DBTaskResult.objects.filter(task_path="cases.tasks.wake_case",
                                       args_kwargs__args=[app.case.pk])
    assert jobs.count() == 1
    run_after = jobs.get().run_after
    assert run_after == oslo(permit.valid_to - timedelta(days=30), 9)

    time_machine.move_to(run_after + SECOND, tick=False)
    run_worker()
    permit.refresh_from_db()
    assert permit.renewal_reminded_at is not None


def test_renewal_period_of_a_temporary_need_is_six_months(
    apply, staff, to_allocation, units, zones, time_machine
):
    time_machine.move_to(oslo(datetime(2026, 8, 31).date(), 10), tick=False)
    app = apply(make_user("kari"), duration="temporary")
    complete(staff["officer"], to_allocation(app, temporary=True).case, "allocate",
             {"allocation_decision": "grant"})
    permit = Permit.objects.get(application=app)
    assert permit.valid_to.isoformat() == "2027-02-27"  # 31 Aug + 6 months - 1 day
    assert app.assessments.get().total == 8


def test_documentation_deadline_closes_the_application(apply, staff, units, zones, time_machine):
    time_machine.move_to(oslo(datetime(2026, 3, 2).date(), 10), tick=False)
    app = apply(make_user("kari"))
    complete(staff["officer"], app.case, "completeness_check",
             {"completeness": "missing", "documentation_request": "The card's back side."})
    task = ready(app.case, "supply_documentation")
    deadline = oslo(datetime(2026, 3, 16).date(), 16)  # 14 days, end of the working day
    assert task.due_at == deadline
    time_machine.move_to(deadline + SECOND, tick=False)
    services.case_wake(case_id=app.case.pk)
    app.refresh_from_db()
    app.case.refresh_from_db()
    assert app.status == ApplicationStatus.INCOMPLETE
    assert app.case.status == CaseStatus.COMPLETED and app.case.outcome == "incomplete"

