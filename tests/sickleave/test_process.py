"""The sick-leave process against the real engine and database: the plan
(made, or obviously unnecessary), meeting 1 for full and partial absence and
the change from partial to full, the return to work cancelling every
deadline, a new absence continuing the case, meetings 2 and 3."""

from datetime import date, timedelta

import pytest

from cases import services as case_services
from cases.models import Case, CaseEvent, CaseStatus, Task, TaskState
from sickleave import selectors, services
from sickleave.models import FollowUp, FollowUpStatus, Meeting, MeetingOutcome, PlanDispatch
from tests.sickleave.conftest import PLAN, open_bpmn_ids, open_task, oslo

pytestmark = pytest.mark.django_db


def register(sick, *, first_day=date(2026, 3, 2), grade=100) -> FollowUp:
    return services.absence_register(
        actor=sick.leader, employee=sick.employee, unit=sick.ivt, first_day=first_day,
        grade=grade,
    )


def complete(actor, case, bpmn_id, data):
    return case_services.task_complete(actor=actor, task_id=open_task(case, bpmn_id).pk,
                                       data=data)


def test_obviously_unnecessary_plan_records_reason_and_who(sick, frozen):
    """The leader records a reason from the allowed list; the plan step and its
    reminder and escalation timers end, and no plan goes to the doctor."""
    frozen(oslo(2026, 3, 2, 9))
    followup = register(sick, grade=40)
    case = followup.case
    complete(sick.leader, case, "make_plan",
             {"plan_exemption_reason": "graded_dialogue_works", "employee_consulted": True})
    followup.refresh_from_db()
    assert followup.plan_exemption_reason == "graded_dialogue_works"
    assert selectors.step_completed_by(followup, "make_plan") == sick.leader
    assert open_bpmn_ids(case) == {"decide_dm1"}

    # Past the plan deadline nothing escalates: only meeting 1 is pending.
    frozen(oslo(2026, 4, 1, 9))
    case_services.cases_wake_due()
    assert not followup.escalations.exists()
    rows = {r.key: r for r in selectors.deadline_rows(followup)}
    assert rows["plan"].state == "exempt"
    assert "plan_to_doctor" not in rows


def test_invalid_exemption_reason_is_refused(sick, frozen):
    frozen(oslo(2026, 3, 2, 9))
    case = register(sick).case
    from cases.exceptions import InvalidTaskData

    with pytest.raises(InvalidTaskData):
        complete(sick.leader, case, "make_plan", {"plan_exemption_reason": "too_busy"})


def test_saved_plan_completes_the_step_and_goes_to_the_doctor(sick, frozen):
    """Saving the first version (plan_created signal) interrupts the plan step;
    the plan is then due at the doctor and its dispatch is recorded."""
    frozen(oslo(2026, 3, 10, 9))
    followup = register(sick)
    case = followup.case
    services.plan_version_create(actor=sick.leader, followup=followup, data=PLAN)
    assert open_bpmn_ids(case) == {"send_plan_to_doctor", "invite_dm1"}
    assert Task.objects.get(case=case, bpmn_id="make_plan").state == TaskState.CANCELLED
    # Made early: due at the doctor by the plan deadline itself.
    assert open_task(case, "send_plan_to_doctor").due_at == oslo(2026, 3, 30, 16, 0)
    complete(sick.leader, case, "send_plan_to_doctor",
             {"sent_on": "2026-03-10", "method": "health_network"})
    dispatch = PlanDispatch.objects.get(followup=followup)
    assert (dispatch.recipient, dispatch.method, dispatch.version.number) == (
        "doctor", "health_network", 1)
    assert open_bpmn_ids(case) == {"invite_dm1"}
    # A second version is kept beside the first and signals nothing.
    services.plan_version_create(actor=sick.leader, followup=followup,
                                 data={**PLAN, "further_follow_up": "Review in May."})
    assert list(followup.plan_versions.values_list("number", flat=True)) == [1, 2]
    assert open_bpmn_ids(case) == {"invite_dm1"}


def test_full_absence_makes_meeting_1_mandatory(sick, frozen):
    frozen(oslo(2026, 3, 2, 9))
    followup = register(sick, grade=100)
    case = followup.case
    assert "decide_dm1" not in open_bpmn_ids(case)
    complete(sick.leader, case, "invite_dm1", {
        "dm1_plan": "invite", "meeting_on": "2026-04-14",
        "participants": ["employee", "leader", "occupational_health"],
    })
    meeting = Meeting.objects.get(followup=followup, number=1)
    assert meeting.planned_on == date(2026, 4, 14)
    assert meeting.participants == ["employee", "leader", "occupational_health"]
    assert open_task(case, "record_dm1").due_at == oslo(2026, 4, 20, 16, 0)
    frozen(oslo(2026, 4, 14, 15))
    complete(sick.leader, case, "record_dm1", {"held_on": "2026-04-14"})
    meeting.refresh_from_db()
    assert (meeting.outcome, meeting.held_on) == (MeetingOutcome.HELD, date(2026, 4, 14))
    rows = {r.key: r for r in selectors.deadline_rows(followup)}
    assert rows["dm1"].state == "done" and rows["dm1"].on_time is True


def test_meeting_1_obviously_unnecessary_for_full_absence(sick, frozen):
    frozen(oslo(2026, 3, 2, 9))
    followup = register(sick, grade=100)
    case = followup.case
    complete(sick.leader, case, "invite_dm1", {
        "dm1_plan": "obviously_unnecessary", "dm1_unnecessary_reason": "returning_shortly",
    })
    meeting = Meeting.objects.get(followup=followup, number=1)
    assert meeting.outcome == MeetingOutcome.OBVIOUSLY_UNNECESSARY
    assert meeting.unnecessary_reason == "returning_shortly"
    assert "record_dm1" not in open_bpmn_ids(case)


def test_partial_to_full_while_deciding_makes_meeting_1_mandatory(sick, frozen):
    """Partial absence asks for a decision; turning full interrupts it and
    asks for the invitation instead."""
    frozen(oslo(2026, 3, 2, 9))
    followup = register(sick, grade=50)
    case = followup.case
    assert "decide_dm1" in open_bpmn_ids(case)
    frozen(oslo(2026, 3, 16, 9))
    services.absence_grade_change(actor=sick.leader, followup=followup, grade=100,
                                  changed_on=date(2026, 3, 16))
    assert "decide_dm1" not in open_bpmn_ids(case)
    assert open_task(case, "invite_dm1").due_at == oslo(2026, 4, 20, 16, 0)
    assert Task.objects.get(case=case, bpmn_id="decide_dm1").state == TaskState.CANCELLED


def test_partial_to_full_after_not_expedient_makes_meeting_1_mandatory(sick, frozen):
    """A meeting found not expedient for partial absence becomes mandatory
    when the absence turns full; after the seven weeks it gets a short new
    limit (sickleave.deadlines rule dm1_after_full)."""
    frozen(oslo(2026, 3, 2, 9))
    followup = register(sick, grade=50)
    case = followup.case
    complete(sick.leader, case, "decide_dm1", {"dm1_decision": "not_expedient"})
    assert "invite_dm1" not in open_bpmn_ids(case)
    followup.refresh_from_db()
    assert {r.key: r.state for r in selectors.deadline_rows(followup)}["dm1"] == "not_required"

    frozen(oslo(2026, 4, 27, 9))  # after the seven weeks (20 April)
    services.absence_grade_change(actor=sick.leader, followup=followup, grade=100,
                                  changed_on=date(2026, 4, 27))
    assert open_task(case, "invite_dm1").due_at == oslo(2026, 5, 11, 16, 0)
    followup.refresh_from_db()
    assert followup.dm1_due == oslo(2026, 5, 11, 16, 0)
    assert {r.key: r.state for r in selectors.deadline_rows(followup)}["dm1"] in (
        "due_soon", "upcoming")


def test_partial_change_that_stays_partial_changes_nothing(sick, frozen):
    frozen(oslo(2026, 3, 2, 9))
    followup = register(sick, grade=50)
    frozen(oslo(2026, 3, 9, 9))
    services.absence_grade_change(actor=sick.leader, followup=followup, grade=70,
                                  changed_on=date(2026, 3, 9))
    assert open_bpmn_ids(followup.case) == {"make_plan", "decide_dm1"}
    assert [(p.grade, p.ends_on) for p in followup.periods.all()] == [
        (50, date(2026, 3, 8)), (70, None)]


def test_return_to_work_cancels_every_deadline(sick, frozen, settings):
    """Without a continuation window the case closes at once: no task, no
    timer, and time passing escalates nothing."""
    settings.VARDE_SICKLEAVE_DAYS = {"continuation": 0}
    frozen(oslo(2026, 3, 2, 9))
    followup = register(sick, grade=50)
    case = followup.case
    assert case.next_timer_at is not None
    frozen(oslo(2026, 3, 12, 9))
    services.absence_return_to_work(actor=sick.leader, followup=followup,
                                    returned_on=date(2026, 3, 12))
    case.refresh_from_db()
    followup.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED
    assert case.outcome == "returned_to_work"
    assert case.next_timer_at is None
    assert not Task.objects.filter(case=case, state=TaskState.READY).exists()
    assert followup.status == FollowUpStatus.CLOSED
    frozen(oslo(2026, 9, 1, 9))
    assert case_services.cases_wake_due() == 0
    assert not followup.escalations.exists()


def test_return_to_work_keeps_only_the_continuation_window(sick, frozen):
    """With the default window (16 days) every deadline goes; the one timer
    left ends the window and then closes the case."""
    frozen(oslo(2026, 3, 2, 9))
    followup = register(sick)
    case = followup.case
    frozen(oslo(2026, 3, 12, 9))
    services.absence_return_to_work(actor=sick.leader, followup=followup,
                                    returned_on=date(2026, 3, 12))
    case.refresh_from_db()
    followup.refresh_from_db()
    assert not Task.objects.filter(case=case, state=TaskState.READY).exists()
    assert case.status == CaseStatus.WAITING and case.outcome == "returned_to_work"
    assert case.next_timer_at == oslo(2026, 3, 28, 16, 0) == followup.continues_until
    assert followup.status == FollowUpStatus.RETURNED

    frozen(oslo(2026, 3, 28, 16, 0, 1))
    case_services.cases_wake_due()
    case.refresh_from_db()
    followup.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED and case.next_timer_at is None
    assert followup.status == FollowUpStatus.CLOSED


def test_new_absence_within_the_window_continues_the_same_case(sick, frozen):
    """Deadlines stay anchored on the first day; the plan already made is not
    asked for again."""
    frozen(oslo(2026, 3, 2, 9))
    followup = register(sick)
    case = followup.case
    services.plan_version_create(actor=sick.leader, followup=followup, data=PLAN)
    complete(sick.leader, case, "send_plan_to_doctor",
             {"sent_on": "2026-03-02", "method": "post"})
    frozen(oslo(2026, 3, 12, 9))
    services.absence_return_to_work(actor=sick.leader, followup=followup,
                                    returned_on=date(2026, 3, 12))

    frozen(oslo(2026, 3, 20, 9))
    again = services.absence_register(actor=sick.leader, employee=sick.employee,
                                      unit=sick.ivt, first_day=date(2026, 3, 20), grade=100)
    assert again.pk == followup.pk and again.case_id == case.pk
    assert again.status == FollowUpStatus.OPEN and again.first_day == date(2026, 3, 2)
    assert Case.objects.count() == 1
    case.refresh_from_db()
    assert case.outcome == "" and case.status == CaseStatus.RUNNING
    assert open_bpmn_ids(case) == {"invite_dm1"}
    assert open_task(case, "invite_dm1").due_at == oslo(2026, 4, 20, 16, 0)
    assert [p.starts_on for p in again.periods.all()] == [date(2026, 3, 2), date(2026, 3, 20)]


def test_new_absence_after_the_window_starts_a_new_case(sick, frozen):
    frozen(oslo(2026, 3, 2, 9))
    followup = register(sick)
    frozen(oslo(2026, 3, 12, 9))
    services.absence_return_to_work(actor=sick.leader, followup=followup,
                                    returned_on=date(2026, 3, 12))
    frozen(oslo(2026, 4, 20, 9))
    case_services.cases_wake_due()
    second = services.absence_register(actor=sick.leader, employee=sick.employee,
                                       unit=sick.ivt, first_day=date(2026, 4, 20), grade=100)
    assert second.pk != followup.pk and second.case_id != followup.case_id
    assert second.plan_due == oslo(2026, 5, 18, 16, 0)


def test_nav_meeting_2_plan_due_a_week_before(sick, frozen):
    """NAV's invitation sets the date the updated plan is due at NAV: at least
    one week before the meeting; missing it escalates."""
    frozen(oslo(2026, 1, 5, 9))
    followup = register(sick, first_day=date(2026, 1, 5))
    case = followup.case
    frozen(oslo(2026, 4, 27, 9))  # week 16
    case_services.cases_wake_due()
    complete(sick.leader, case, "nav_invitation_2",
             {"nav_decision": "invited", "meeting_on": "2026-06-15"})
    assert open_task(case, "send_plan_to_nav_2").due_at == oslo(2026, 6, 8, 16, 0)
    frozen(oslo(2026, 6, 9, 9))
    case_services.cases_wake_due()
    followup.refresh_from_db()
    assert followup.escalations.filter(deadline="plan_to_nav").exists()
    complete(sick.leader, case, "send_plan_to_nav_2",
             {"sent_on": "2026-06-09", "method": "nav_digital"})
    assert open_task(case, "record_dm2").due_at == oslo(2026, 6, 22, 16, 0)
    complete(sick.leader, case, "record_dm2", {"held_on": "2026-06-09"})
    assert Meeting.objects.get(followup=followup, number=2).outcome == MeetingOutcome.HELD


def test_meeting_3_on_request(sick, frozen):
    frozen(oslo(2026, 3, 2, 9))
    followup = register(sick)
    case = followup.case
    services.dm3_request(actor=sick.leader, followup=followup)
    assert "nav_invitation_3" in open_bpmn_ids(case)
    assert CaseEvent.objects.filter(case=case, kind="signal",
                                    data__signal="dialogue_meeting_3_requested").exists()
    complete(sick.leader, case, "nav_invitation_3", {"nav_decision": "not_needed"})
    assert Meeting.objects.get(followup=followup, number=3).outcome == "nav_not_needed"
    # Asked again later: the process waits for it again.
    services.dm3_request(actor=sick.leader, followup=followup)
    assert "nav_invitation_3" in open_bpmn_ids(case)


def test_activity_requirement_recorded(sick, frozen):
    frozen(oslo(2026, 3, 2, 9))
    followup = register(sick)
    frozen(oslo(2026, 4, 20, 8, 1))
    case_services.cases_wake_due()
    complete(sick.leader, followup.case, "record_activity",
             {"activity_status": "workplace_exception"})
    followup.refresh_from_db()
    assert followup.activity_status == "workplace_exception"
    assert followup.activity_recorded_at is not None


def test_register_checks(sick, frozen):
    from cases.exceptions import NotAllowed
    from sickleave.services.absences import InvalidAbsence

    frozen(oslo(2026, 3, 2, 9))
    with pytest.raises(NotAllowed):
        services.absence_register(actor=sick.nv_leader, employee=sick.employee,
                                  unit=sick.ivt, first_day=date(2026, 3, 2), grade=100)
    with pytest.raises(InvalidAbsence):
        services.absence_register(actor=sick.leader, employee=sick.employee, unit=sick.ivt,
                                  first_day=date(2026, 3, 3), grade=100)  # future
    with pytest.raises(InvalidAbsence):
        services.absence_register(actor=sick.leader, employee=sick.nv_leader, unit=sick.ivt,
                                  first_day=date(2026, 3, 2), grade=100)  # not in the unit
    register(sick)
    with pytest.raises(InvalidAbsence):
        register(sick)  # already open
    assert FollowUp.objects.count() == 1


def test_workflow_data_holds_no_content(sick, frozen):
    """Plan text never reaches the workflow state or the audit trail."""
    from cases.workflow.serialization import state_bytes_to_text

    frozen(oslo(2026, 3, 2, 9))
    followup = register(sick)
    services.plan_version_create(actor=sick.leader, followup=followup, data=PLAN)
    case = Case.objects.get(pk=followup.case_id)
    state = state_bytes_to_text(case.state)
    events = str(list(CaseEvent.objects.filter(case=case).values_list("data", flat=True)))
    for text in PLAN.values():
        assert text not in state and text not in events
    assert sick.employee.username not in state


def test_signal_left_unheard_changes_nothing(sick, frozen):
    frozen(oslo(2026, 3, 2, 9))
    followup = register(sick)
    before = followup.case.state
    frozen(oslo(2026, 3, 3, 9))
    services.absence_grade_change(actor=sick.leader, followup=followup, grade=100,
                                  changed_on=date(2026, 3, 2) + timedelta(days=1))
    case = Case.objects.get(pk=followup.case_id)
    assert bytes(case.state) == bytes(before)


def test_doctor_invited_only_with_the_employees_consent(sick, frozen):
    from cases.exceptions import InvalidTaskData
    from forms.builder import build_form
    from forms.schemas import load_schema

    frozen(oslo(2026, 3, 2, 9))
    case = register(sick).case
    data = {"dm1_plan": "invite", "meeting_on": "2026-04-01",
            "participants": ["employee", "leader", "doctor"], "doctor_consent": False}
    with pytest.raises(InvalidTaskData):
        complete(sick.leader, case, "invite_dm1", data)
    form = build_form(load_schema("sick_leave_dm1_invitation.json"), data={
        "dm1_plan": "invite", "meeting_on": "2026-04-01", "participants": ["doctor"]})
    assert not form.is_valid() and "doctor_consent" in form.errors
    complete(sick.leader, case, "invite_dm1", {**data, "doctor_consent": True})
    assert "record_dm1" in open_bpmn_ids(case)
