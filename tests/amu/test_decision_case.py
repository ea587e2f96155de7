"""A decision case from submission to approved minutes, on the real engine
and database: submit → screen → routed to AMU → on the agenda with its
number → agenda published (members notified) → vote → decision with a
follow-up action → the owner reports it → minutes closed and approved by
the chair."""

import pytest

from amu.exceptions import MeetingLocked, NotTheChair, StepNotOpen
from amu.models import ActionStatus, MeetingStatus, Outcome
from amu.services.decisions import (
    ActionInput,
    agenda_item_decide,
    agenda_item_revise,
    vote_cast,
    voting_open,
)
from amu.services.meetings import (
    agenda_item_add,
    agenda_publish,
    meeting_close,
    minutes_approve,
)
from amu.services.submission import amu_case_submit
from cases import services
from cases.models import CaseStatus
from notifications.models import Kind, Notification

from .conftest import accept, attend, is_ready, ready

pytestmark = pytest.mark.django_db


def test_decision_case_from_submission_to_minutes(world, submission):
    amu_case = amu_case_submit(actor=world.submitter, data=submission)
    case = amu_case.case
    assert case.reference.startswith("AMU-")
    assert case.reporter == world.submitter
    screen = ready(case, "screen")
    assert screen.candidate_group.name == "amu_secretary"

    amu_case = accept(world, amu_case)
    assert amu_case.body == world.amu
    assert is_ready(case, "schedule")

    meeting = world.meetings["amu"]
    item = agenda_item_add(actor=world.secretary, meeting=meeting, amu_case=amu_case)
    assert item.number.label == f"Case 1/{meeting.date.year % 100:02d}"
    assert ready(case, "decide").due_at.date() == meeting.date

    with pytest.raises(StepNotOpen):  # the case is on the agenda already
        agenda_item_add(actor=world.secretary, meeting=meeting, amu_case=amu_case)

    agenda_publish(actor=world.secretary, meeting=meeting)
    attend(world, meeting)
    notified = set(
        Notification.objects.filter(kind=Kind.AGENDA_PUBLISHED).values_list(
            "user__username", flat=True
        )
    )
    assert notified == {"chair", "emp2", "er1", "er2", "bht", "student", "observer", "secretary"}
    assert "AMU: the agenda for the meeting on" in Notification.objects.filter(
        kind=Kind.AGENDA_PUBLISHED).first().text

    voting_open(actor=world.secretary, item=item)
    for name in ("chair", "emp2", "er1"):
        vote_cast(actor=world.users[name], item=item, choice="for")
    vote_cast(actor=world.users["er2"], item=item, choice="against")
    item = agenda_item_decide(
        actor=world.secretary, item=item, method="vote",
        decision_text="AMU asks for a noise measurement on floor 3.",
        majority_view="Noise harms concentration and health.",
        minority_view="Wait for the building's refurbishment next year.",
        actions=[ActionInput("Measure the noise level", world.users["er1"], meeting.date)],
    )
    assert (item.outcome, item.votes_for, item.votes_against) == (Outcome.ADOPTED, 3, 1)
    assert not item.casting_vote

    task = ready(case, "carry_out_action")
    assert task.assignee == world.users["er1"]
    assert (task.name, task.title_suffix) == (
        "Carry out the follow-up action", "Measure the noise level"
    )
    assert task.due_at.date() == meeting.date
    services.task_complete(actor=world.users["er1"], task_id=task.pk,
                           data={"action_status": "done", "action_comment": "82 dB measured."})
    action = amu_case.actions.get()
    assert (action.status, action.comment) == (ActionStatus.DONE, "82 dB measured.")
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED and case.outcome == "closed"

    meeting_close(actor=world.secretary, meeting=meeting)
    agenda_item_revise(actor=world.secretary, item=item,
                       decision_text="AMU asks for a noise measurement on floor 3 by June.",
                       majority_view=item.majority_view, minority_view=item.minority_view)
    with pytest.raises(NotTheChair):
        minutes_approve(actor=world.secretary, meeting=meeting)
    minutes_approve(actor=world.users["chair"], meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.APPROVED
    assert meeting.minutes_approved_by == world.users["chair"]
    with pytest.raises(MeetingLocked):
        agenda_item_revise(actor=world.secretary, item=item, decision_text="Changed",
                           majority_view="", minority_view="")


def test_information_case_is_taken_for_information(world, submission):
    amu_case = accept(world, amu_case_submit(
        actor=world.submitter, data={**submission, "kind": "information"}))
    meeting = world.meetings["amu"]
    item = agenda_item_add(actor=world.secretary, meeting=meeting, amu_case=amu_case)
    agenda_publish(actor=world.secretary, meeting=meeting)
    attend(world, meeting)
    item = agenda_item_decide(actor=world.secretary, item=item, outcome=Outcome.NOTED,
                              decision_text="Taken for information.")
    assert item.outcome == Outcome.NOTED and item.method == ""
    amu_case.case.refresh_from_db()
    assert amu_case.case.status == CaseStatus.COMPLETED


def test_postponed_case_keeps_its_number_at_the_next_meeting(world, submission):
    from datetime import timedelta

    from amu.models import Meeting

    amu_case = accept(world, amu_case_submit(actor=world.submitter, data=submission))
    meeting = world.meetings["amu"]
    first = agenda_item_add(actor=world.secretary, meeting=meeting, amu_case=amu_case)
    agenda_publish(actor=world.secretary, meeting=meeting)
    attend(world, meeting)
    agenda_item_decide(actor=world.secretary, item=first, outcome=Outcome.POSTPONED)
    assert is_ready(amu_case.case, "schedule")

    later = Meeting.objects.create(body=world.amu, date=meeting.date + timedelta(days=30))
    second = agenda_item_add(actor=world.secretary, meeting=later, amu_case=amu_case)
    assert second.number == first.number


def test_taking_a_case_off_the_agenda_sends_it_back_to_scheduling(world, submission):
    from amu.services.meetings import agenda_item_remove

    amu_case = accept(world, amu_case_submit(actor=world.submitter, data=submission))
    meeting = world.meetings["amu"]
    item = agenda_item_add(actor=world.secretary, meeting=meeting, amu_case=amu_case)
    agenda_item_remove(actor=world.secretary, item=item)
    assert not meeting.items.exists()
    assert is_ready(amu_case.case, "schedule")


def test_schedule_step_on_the_task_page_without_a_meeting_asks_again(world, submission):
    """The generic task page can complete "schedule" with any date: a date
    without an open meeting of the body brings the step back, no error."""
    amu_case = accept(world, amu_case_submit(actor=world.submitter, data=submission))
    task = ready(amu_case.case, "schedule")
    services.task_complete(actor=world.secretary, task_id=task.pk,
                           data={"meeting_date": "2030-01-01"})
    amu_case.case.refresh_from_db()
    assert amu_case.case.status == CaseStatus.RUNNING
    assert is_ready(amu_case.case, "schedule")


def test_decide_step_without_a_recorded_decision_comes_back(world, submission):
    amu_case = accept(world, amu_case_submit(actor=world.submitter, data=submission))
    agenda_item_add(actor=world.secretary, meeting=world.meetings["amu"], amu_case=amu_case)
    task = ready(amu_case.case, "decide")
    services.task_complete(actor=world.secretary, task_id=task.pk,
                           data={"decision_recorded": True})
    assert is_ready(amu_case.case, "decide")
