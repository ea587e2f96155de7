"""Triage and closure deadlines of the incident process fire as BPMN timers.

Time is moved with time-machine: SpiffWorkflow reads ``datetime.now(
timezone.utc)`` when it checks a timer, Django ``timezone.now()``, and both
follow the travel. The timers are non-interrupting: the overdue task stays
open and is marked escalated for the unit leader.
"""

import io
import signal
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from cases import selectors, services
from cases.models import Case, CaseEvent, CaseStatus, EventKind, Task, TaskState
from incidents.services import incident_report_submit

OSLO = ZoneInfo("Europe/Oslo")
SECOND = timedelta(seconds=1)
WAKE_TASK = "cases.tasks.wake_case"


def _database_task_backend() -> bool:
    from django_tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task_backends["default"], DatabaseBackend)


def oslo(*args) -> datetime:
    return datetime(*args, tzinfo=OSLO)


def open_task(case, bpmn_id) -> Task:
    return Task.objects.get(case=case, bpmn_id=bpmn_id, state=TaskState.READY)


def escalations(case) -> list[dict]:
    return list(
        CaseEvent.objects.filter(case=case, kind=EventKind.ESCALATED).values_list("data", flat=True)
    )


@pytest.fixture
def frozen(time_machine):
    """Frozen time (no ticking), so deadlines can be compared exactly."""

    def move_to(moment: datetime):
        time_machine.move_to(moment, tick=False)

    return move_to


@pytest.mark.django_db
def test_triage_deadline_is_two_working_days_and_escalates_when_passed(
    definitions, people, report_data, frozen
):
    """Reported on a Friday morning: triage is due Tuesday 16:00 Oslo time
    (weekend skipped). Before that, waking the case does nothing; after it,
    the boundary timer escalates the still-open triage to the unit leader."""
    frozen(oslo(2026, 11, 20, 10, 0))
    case = incident_report_submit(reporter=people["reporter"], data=report_data)
    deadline = oslo(2026, 11, 24, 16, 0)
    assert case.status == CaseStatus.RUNNING
    assert case.next_timer_at == deadline
    triage = open_task(case, "triage")
    assert triage.due_at == deadline

    frozen(deadline - SECOND)
    services.case_wake(case_id=case.pk)
    triage.refresh_from_db()
    assert triage.escalated_at is None
    assert escalations(case) == []
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.TIMER).exists()
    assert not selectors.task_queue_escalated(user=people["leader"]).exists()

    frozen(deadline + SECOND)
    services.case_wake(case_id=case.pk)
    triage.refresh_from_db()
    case.refresh_from_db()
    assert triage.escalated_at == deadline + SECOND
    assert triage.state == TaskState.READY
    assert open_task(case, "triage").pk == triage.pk
    assert escalations(case) == [{"reason": "triage_overdue", "task": "triage", "tasks": 1}]
    assert case.status == CaseStatus.RUNNING
    assert case.next_timer_at is None  # fired once; nothing else is waiting
    assert list(selectors.task_queue_escalated(user=people["leader"])) == [triage]
    assert not selectors.task_queue_escalated(user=people["nv_leader"]).exists()
    assert not selectors.task_queue_escalated(user=people["coordinator"]).exists()

    # Waking again is harmless, and the overdue triage can still be done.
    services.case_wake(case_id=case.pk)
    assert len(escalations(case)) == 1
    services.task_complete(actor=people["coordinator"], task_id=triage.pk,
                           data={"triage_decision": "accept", "severity": "serious"})
    assert open_task(case, "plan_measures").escalated_at is None


@pytest.mark.django_db
def test_triage_deadline_skips_easter(definitions, people, report_data, frozen):
    """Reported the day before Maundy Thursday 2027: Thursday, Good Friday,
    the weekend and Easter Monday are skipped (and summer time has begun)."""
    frozen(oslo(2027, 3, 24, 9, 30))
    case = incident_report_submit(reporter=people["reporter"], data=report_data)
    case.refresh_from_db()
    assert case.next_timer_at == oslo(2027, 3, 31, 16, 0)
    assert case.next_timer_at == datetime(2027, 3, 31, 14, 0, tzinfo=UTC)  # CEST, UTC+2


@pytest.mark.django_db
def test_critical_report_after_end_of_day_is_due_within_hours_of_arrival(
    definitions, people, report_data, frozen
):
    """A critical report is due within 4 hours of its arrival, counted round
    the clock: reported at 17:00 it is due at 21:00 and not escalated at once;
    past 21:00 it goes to the unit leader."""
    frozen(oslo(2026, 11, 23, 17, 0))
    report_data["severity_suggested"] = "critical"
    case = incident_report_submit(reporter=people["reporter"], data=report_data)
    triage = open_task(case, "triage")
    assert triage.due_at == oslo(2026, 11, 23, 21, 0)
    assert triage.escalated_at is None and escalations(case) == []

    frozen(oslo(2026, 11, 23, 21, 0) + SECOND)
    services.case_wake(case_id=case.pk)
    triage.refresh_from_db()
    assert triage.escalated_at == oslo(2026, 11, 23, 21, 0) + SECOND
    assert [e["reason"] for e in escalations(case)] == ["triage_overdue"]
    assert list(selectors.task_queue_escalated(user=people["leader"])) == [triage]


@pytest.mark.django_db
def test_critical_report_in_working_hours_is_due_four_hours_later(
    definitions, people, report_data, frozen
):
    frozen(oslo(2026, 11, 23, 9, 0))
    report_data["severity_suggested"] = "critical"
    case = incident_report_submit(reporter=people["reporter"], data=report_data)
    assert case.next_timer_at == oslo(2026, 11, 23, 13, 0)
    assert open_task(case, "triage").escalated_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("severity", "deadline"),
    [
        ("critical", oslo(2026, 12, 23, 16, 0)),  # 30 days
        ("serious", oslo(2027, 1, 22, 16, 0)),  # 60 days, across the year end
        ("less_serious", oslo(2027, 2, 21, 16, 0)),  # 90 days
    ],
)
def test_closure_deadline_by_severity_escalates_open_handling_work(
    definitions, people, report_data, frozen, severity, deadline
):
    """Accepted at triage, the DMN sets closure days by severity (critical 30,
    serious 60, less serious 90 calendar days, 16:00 Oslo). When the deadline
    passes, the open handling task is escalated and stays open."""
    frozen(oslo(2026, 11, 23, 9, 0))
    case = incident_report_submit(reporter=people["reporter"], data=report_data)
    frozen(oslo(2026, 11, 23, 11, 0))
    triage = open_task(case, "triage")
    services.task_complete(actor=people["coordinator"], task_id=triage.pk,
                           data={"triage_decision": "accept", "severity": severity})
    case.refresh_from_db()
    assert case.severity == severity
    assert case.next_timer_at == deadline  # the triage timer went with the triage task
    plan = open_task(case, "plan_measures")
    assert plan.due_at == deadline

    frozen(deadline - SECOND)
    services.case_wake(case_id=case.pk)
    plan.refresh_from_db()
    assert plan.escalated_at is None
    assert escalations(case) == []

    frozen(deadline + SECOND)
    services.case_wake(case_id=case.pk)
    plan.refresh_from_db()
    case.refresh_from_db()
    assert plan.escalated_at == deadline + SECOND
    assert plan.state == TaskState.READY
    assert escalations(case) == [{"reason": "closure_overdue", "task": "", "tasks": 1}]
    assert case.status == CaseStatus.RUNNING
    assert list(selectors.task_queue_escalated(user=people["leader"])) == [plan]


@pytest.mark.django_db
def test_a_deadline_passed_before_its_wake_job_ran_fires_in_the_next_step(
    definitions, people, report_data, frozen
):
    """The worker is behind: the closure deadline has passed but the case
    was not woken. The next user step fires it, and runs what follows the
    timer (the escalation) in that same step, not at some later wake."""
    frozen(oslo(2026, 11, 23, 9, 0))
    case = incident_report_submit(reporter=people["reporter"], data=report_data)
    services.task_complete(actor=people["coordinator"], task_id=open_task(case, "triage").pk,
                           data={"triage_decision": "accept", "severity": "critical"})
    case.refresh_from_db()
    deadline = case.next_timer_at
    assert escalations(case) == []

    frozen(deadline + SECOND)  # no case_wake: the job has not run yet
    services.task_complete(
        actor=people["coordinator"], task_id=open_task(case, "plan_measures").pk,
        data={"consequence": "Fall risk", "cause": "Loose bolts",
              "measures": [{"title": "Fix handrail", "owner": "owner",
                            "deadline": "2027-01-10",
                            # after the closing deadline: a reason (issue 29)
                            "reason": "The parts arrive in January."}]},
    )
    case.refresh_from_db()
    assert [e["reason"] for e in escalations(case)] == ["closure_overdue"]
    measure = open_task(case, "carry_out_measure")
    assert measure.escalated_at == deadline + SECOND
    assert case.next_timer_at != deadline  # that timer is spent


@pytest.mark.django_db
def test_reporting_enqueues_one_wake_job_at_the_deadline(
    definitions, people, report_data, frozen, django_capture_on_commit_callbacks
):
    """After commit, one background job (database backend) is queued to wake
    the case exactly at its next timer."""
    if not _database_task_backend():
        pytest.skip("needs the database task backend")
    frozen(oslo(2026, 11, 20, 10, 0))
    with django_capture_on_commit_callbacks(execute=True):
        case = incident_report_submit(reporter=people["reporter"], data=report_data)
    jobs = DBTaskResult.objects.filter(task_path=WAKE_TASK)
    assert [(j.run_after, j.args_kwargs["args"]) for j in jobs] == [
        (case.next_timer_at, [case.pk])
    ]
    assert case.next_timer_at == oslo(2026, 11, 24, 16, 0)


@pytest.fixture
def restore_signal_handlers():
    """db_worker installs its own SIGINT/SIGTERM handlers; put ours back."""
    names = [n for n in ("SIGINT", "SIGTERM", "SIGQUIT") if hasattr(signal, n)]
    saved = {n: signal.getsignal(getattr(signal, n)) for n in names}
    yield
    for name, handler in saved.items():
        signal.signal(getattr(signal, name), handler)


@pytest.mark.django_db(transaction=True)
def test_background_worker_wakes_the_case_when_due(
    definitions, people, report_data, frozen, restore_signal_handlers
):
    """The real path: reporting commits and queues a wake job for the
    deadline; the database worker (manage.py db_worker) leaves it alone
    before the deadline and escalates the triage after it."""
    if not _database_task_backend():
        pytest.skip("needs the database task backend")
    frozen(oslo(2026, 11, 20, 10, 0))
    case = incident_report_submit(reporter=people["reporter"], data=report_data)
    job = DBTaskResult.objects.get(task_path=WAKE_TASK)
    assert job.run_after == case.next_timer_at == oslo(2026, 11, 24, 16, 0)

    def run_worker():
        call_command("db_worker", batch=True, startup_delay=False, reload=False, interval=0,
                     queue_name="*", verbosity=0)

    frozen(oslo(2026, 11, 24, 15, 59))
    run_worker()
    job.refresh_from_db()
    assert job.status == "READY"
    assert open_task(case, "triage").escalated_at is None

    frozen(oslo(2026, 11, 24, 16, 5))
    run_worker()
    job.refresh_from_db()
    assert job.status == "SUCCESSFUL"
    triage = open_task(case, "triage")
    assert triage.escalated_at == oslo(2026, 11, 24, 16, 5)
    assert [e["reason"] for e in escalations(case)] == ["triage_overdue"]
    assert Case.objects.get(pk=case.pk).next_timer_at is None


@pytest.mark.django_db
def test_fire_due_timers_wakes_due_cases_only(definitions, people, report_data, frozen):
    """The safety net after a worker outage wakes every case whose timer is
    due, and leaves cases whose deadline is still ahead alone."""
    frozen(oslo(2026, 11, 16, 10, 0))  # Monday: due Wednesday 18th, 16:00
    early = incident_report_submit(reporter=people["reporter"], data=report_data)
    frozen(oslo(2026, 11, 18, 10, 0))  # Wednesday: due Friday 20th, 16:00
    late = incident_report_submit(reporter=people["reporter"], data=report_data)

    frozen(oslo(2026, 11, 19, 8, 0))
    out = io.StringIO()
    call_command("fire_due_timers", stdout=out)
    assert out.getvalue().strip() == "Woke 1 case(s)."
    assert open_task(early, "triage").escalated_at == oslo(2026, 11, 19, 8, 0)
    assert open_task(late, "triage").escalated_at is None
    assert Case.objects.get(pk=late.pk).next_timer_at == oslo(2026, 11, 20, 16, 0)

    out = io.StringIO()
    call_command("fire_due_timers", stdout=out)
    assert out.getvalue().strip() == "Woke 0 case(s)."
