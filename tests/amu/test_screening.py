"""The secretary screens a submitted case: accept, return it to the
submitter with a question and a deadline, or reject it with reasons; the
routing table sends an accepted case to its body."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from amu.models import InformationRequest
from amu.services.submission import amu_case_submit
from cases import services
from cases.calendar import OSLO
from cases.models import CaseEvent, CaseStatus, EventKind

from .conftest import accept, is_ready, ready

pytestmark = pytest.mark.django_db


def _return(world, amu_case, deadline):
    services.task_complete(actor=world.secretary, task_id=ready(amu_case.case, "screen").pk, data={
        "screening_decision": "return", "kind": "decision", "site": "all",
        "is_building_case": False, "question": "Which rooms are affected?",
        "return_deadline": deadline.isoformat(),
    })


def test_return_for_information_with_deadline(world, submission):
    amu_case = amu_case_submit(actor=world.submitter, data=submission)
    deadline = timezone.localdate() + timedelta(days=10)
    _return(world, amu_case, deadline)

    ask = ready(amu_case.case, "ask_submitter")
    assert ask.assignee == world.submitter
    assert ask.due_at == datetime.combine(deadline, datetime.min.time().replace(hour=16),
                                          tzinfo=OSLO)
    request = InformationRequest.objects.get(amu_case=amu_case)
    assert (request.question, request.deadline) == ("Which rooms are affected?", deadline)
    amu_case.case.refresh_from_db()
    assert amu_case.case.next_timer_at == ask.due_at

    services.task_complete(actor=world.submitter, task_id=ask.pk,
                           data={"answer": "Rooms 301 to 320."})
    request.refresh_from_db()
    assert request.answer == "Rooms 301 to 320." and request.answered_at is not None
    assert is_ready(amu_case.case, "screen")
    amu_case.case.refresh_from_db()
    assert amu_case.case.next_timer_at is None


def test_no_answer_by_the_deadline_sends_the_case_back_to_the_secretary(world, submission):
    amu_case = amu_case_submit(actor=world.submitter, data=submission)
    deadline = timezone.localdate() + timedelta(days=3)
    _return(world, amu_case, deadline)
    ask = ready(amu_case.case, "ask_submitter")

    with time_machine.travel(ask.due_at + timedelta(minutes=1)):
        services.case_wake(case_id=amu_case.case.pk)
    assert not is_ready(amu_case.case, "ask_submitter")
    assert is_ready(amu_case.case, "screen")
    assert InformationRequest.objects.get(amu_case=amu_case).expired
    assert CaseEvent.objects.filter(case=amu_case.case, kind=EventKind.TIMER).exists()


def test_rejection_with_reasons_closes_the_case_and_tells_the_submitter(
    world, submission, django_capture_on_commit_callbacks, run_worker
):
    from notifications.models import Kind, Notification

    amu_case = amu_case_submit(actor=world.submitter, data=submission)
    with django_capture_on_commit_callbacks(execute=True):
        services.task_complete(
            actor=world.secretary, task_id=ready(amu_case.case, "screen").pk,
            data={"screening_decision": "reject", "kind": "decision", "site": "all",
                  "is_building_case": False,
                  "rejection_reason": "A matter for the unit's leader."})
    run_worker()
    case = amu_case.case
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED and case.outcome == "rejected"
    assert Notification.objects.filter(user=world.submitter, kind=Kind.STATUS_CHANGED).exists()


@pytest.mark.parametrize(("changes", "body"), [
    ({"is_building_case": True, "needs_consent": "no"}, "byggarm"),
    ({"site": "gjovik"}, "samu-gjovik"),
    ({"site": "alesund"}, "samu-alesund"),
    ({"is_building_case": True, "site": "alesund", "needs_consent": "no"}, "byggarm"),
    ({}, "amu"),
])
def test_routing_table(world, submission, changes, body):
    amu_case = amu_case_submit(actor=world.submitter, data=submission)
    amu_case = accept(world, amu_case, **changes)
    assert amu_case.body.code == body


def test_the_secretary_corrects_the_classification_at_screening(world, submission):
    amu_case = amu_case_submit(actor=world.submitter, data=submission)
    amu_case = accept(world, amu_case, kind="information", site="gjovik")
    assert (amu_case.kind, amu_case.site, amu_case.body.code) == (
        "information", "gjovik", "samu-gjovik")
