"""Every loop back in the AMU case process, gone round twice on the real
engine: returned to the submitter (answered, then unanswered past the
deadline), a schedule date without a meeting, postponed at a meeting, and
the decide step completed without a recorded decision."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from amu.models import InformationRequest, Meeting, Outcome
from amu.services.decisions import agenda_item_decide
from amu.services.meetings import agenda_item_add, agenda_publish
from amu.services.submission import amu_case_submit
from cases import services
from cases.models import CaseStatus

from .conftest import accept, attend, is_ready, ready

pytestmark = pytest.mark.django_db


def _return(world, amu_case, question):
    services.task_complete(actor=world.secretary, task_id=ready(amu_case.case, "screen").pk, data={
        "screening_decision": "return", "kind": "decision", "site": "all",
        "is_building_case": False, "question": question,
        "return_deadline": (timezone.localdate() + timedelta(days=5)).isoformat(),
    })


def test_returned_to_the_submitter_twice_then_accepted(world, submission):
    amu_case = amu_case_submit(actor=world.submitter, data=submission)
    _return(world, amu_case, "Which rooms?")
    services.task_complete(actor=world.submitter, task_id=ready(amu_case.case, "ask_submitter").pk,
                           data={"answer": "Rooms 301 to 320."})
    assert is_ready(amu_case.case, "screen")

    _return(world, amu_case, "And which floor?")
    ask = ready(amu_case.case, "ask_submitter")
    with time_machine.travel(ask.due_at + timedelta(minutes=1)):
        services.case_wake(case_id=amu_case.case.pk)
    assert is_ready(amu_case.case, "screen")
    requests = InformationRequest.objects.filter(amu_case=amu_case).order_by("pk")
    assert [(r.answer, r.expired) for r in requests] == [("Rooms 301 to 320.", False),
                                                         ("", True)]
    accept(world, amu_case)
    assert is_ready(amu_case.case, "schedule")


def test_a_date_without_a_meeting_twice_asks_again_each_time(world, submission):
    amu_case = accept(world, amu_case_submit(actor=world.submitter, data=submission))
    for year in (2030, 2031):
        services.task_complete(actor=world.secretary, task_id=ready(amu_case.case, "schedule").pk,
                               data={"meeting_date": f"{year}-01-01"})
        amu_case.case.refresh_from_db()
        assert amu_case.case.status == CaseStatus.RUNNING
        assert is_ready(amu_case.case, "schedule")


def test_postponed_twice_then_decided(world, submission):
    amu_case = accept(world, amu_case_submit(
        actor=world.submitter, data={**submission, "kind": "information"}))
    meeting = world.meetings["amu"]
    numbers = []
    for i in range(3):
        if i:
            meeting = Meeting.objects.create(body=world.amu,
                                             date=meeting.date + timedelta(days=30))
        item = agenda_item_add(actor=world.secretary, meeting=meeting, amu_case=amu_case)
        numbers.append(item.number)
        agenda_publish(actor=world.secretary, meeting=meeting)
        attend(world, meeting)  # on its day
        if i < 2:
            agenda_item_decide(actor=world.secretary, item=item, outcome=Outcome.POSTPONED)
            assert is_ready(amu_case.case, "schedule")
    assert len(set(numbers)) == 1  # the case keeps its number
    attend(world, meeting)  # a decision needs attendance (postponing does not)
    agenda_item_decide(actor=world.secretary, item=item, outcome=Outcome.NOTED,
                       decision_text="Taken for information.")
    amu_case.case.refresh_from_db()
    assert amu_case.case.status == CaseStatus.COMPLETED, amu_case.case.error_message


def test_decide_step_without_a_decision_twice_comes_back_each_time(world, submission):
    amu_case = accept(world, amu_case_submit(actor=world.submitter, data=submission))
    agenda_item_add(actor=world.secretary, meeting=world.meetings["amu"], amu_case=amu_case)
    for _ in range(2):
        services.task_complete(actor=world.secretary, task_id=ready(amu_case.case, "decide").pk,
                               data={"decision_recorded": True})
        assert is_ready(amu_case.case, "decide")
