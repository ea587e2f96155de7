"""The workflow state of a long AMU case stays small: routing data only
(the texts, votes and documents live in the amu models)."""

import pytest

from amu.models import Outcome
from amu.services.decisions import ActionInput, agenda_item_decide, vote_cast, voting_open
from amu.services.meetings import agenda_item_add, agenda_publish
from amu.services.submission import amu_case_submit
from cases import services

from .conftest import accept, attend, consent_documents, ready
from .test_building_arm import BUILDING

pytestmark = pytest.mark.django_db

STATE_LIMIT = 10 * 1024


def test_a_referred_consent_case_with_actions_keeps_a_small_state(world):
    amu_case = accept(world, amu_case_submit(actor=world.submitter, data=BUILDING,
                                             documents=consent_documents()))
    meeting = world.meetings["byggarm"]
    item = agenda_item_add(actor=world.secretary, meeting=meeting, amu_case=amu_case)
    agenda_publish(actor=world.secretary, meeting=meeting)
    attend(world, meeting)
    voting_open(actor=world.secretary, item=item)
    for name, choice in (("bchair", "for"), ("ber", "for"), ("bemp", "against")):
        vote_cast(actor=world.users[name], item=item, choice=choice)
    agenda_item_decide(actor=world.secretary, item=item, method="vote",
                       decision_text="Majority supports.", minority_view="Too dark.")
    meeting = world.meetings["amu"]
    amu_case.refresh_from_db()
    item = agenda_item_add(actor=world.secretary, meeting=meeting, amu_case=amu_case)
    agenda_publish(actor=world.secretary, meeting=meeting)
    attend(world, meeting)
    agenda_item_decide(
        actor=world.secretary, item=item, method="consensus", outcome=Outcome.ADOPTED,
        decision_text="AMU supports the plans.",
        actions=[ActionInput(f"Action {i}", world.users["er1"], meeting.date) for i in range(3)],
    )
    case = amu_case.case
    services.task_complete(actor=world.secretary, task_id=ready(case, "record_application").pk,
                           data={"application_reference": "1", "application_sent_on": "2026-01-02"})
    services.task_complete(actor=world.secretary, task_id=ready(case, "record_answer").pk,
                           data={"authority_answer": "consent",
                                 "authority_answer_date": "2026-01-03"})
    for task in case.tasks.filter(bpmn_id="carry_out_action", state="ready"):
        services.task_complete(actor=world.users["er1"], task_id=task.pk,
                               data={"action_status": "done"})
    case.refresh_from_db()
    assert case.status == "completed"
    size = len(bytes(case.state))
    print(f"state of a referred § 18-9 case with 3 actions: {size} bytes")
    assert size <= STATE_LIMIT
