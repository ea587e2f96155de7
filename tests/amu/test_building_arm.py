"""Building cases go to the building arm (byggarm). A § 18-9 case brings the
four documents the byggarm needs; the byggarm's statement goes with the
consent application, and Arbeidstilsynet's answer is recorded. Internal
disagreement in the byggarm refers the same case to AMU."""

from datetime import date

import pytest

from amu.exceptions import InvalidInput
from amu.models import ConsentAnswer, Outcome, ReferralReason
from amu.services.decisions import agenda_item_decide, vote_cast, voting_open
from amu.services.meetings import agenda_item_add, agenda_publish
from amu.services.submission import amu_case_submit
from cases import services
from cases.models import Case, CaseStatus

from .conftest import accept, attend, consent_documents, is_ready, ready

pytestmark = pytest.mark.django_db

BUILDING = {
    "title": "New laboratory building, Gløshaugen",
    "kind": "decision",
    "description": "A new laboratory building for chemistry, 120 workplaces.",
    "submitter_role": "leader",
    "site": "all",
    "is_building_case": True,
    "needs_consent": "yes",
}


def test_a_consent_case_needs_the_building_arms_documents(world):
    documents = consent_documents()
    del documents["indoor_climate"]
    with pytest.raises(InvalidInput) as refused:
        amu_case_submit(actor=world.submitter, data=BUILDING, documents=documents)
    assert set(refused.value.extra["errors"]) == {"indoor_climate"}
    assert not Case.objects.exists()


def _to_byggarm(world):
    amu_case = amu_case_submit(actor=world.submitter, data=BUILDING,
                               documents=consent_documents())
    assert amu_case.needs_consent and amu_case.documents.count() == 4
    amu_case = accept(world, amu_case)
    assert amu_case.body == world.byggarm
    meeting = world.meetings["byggarm"]
    item = agenda_item_add(actor=world.secretary, meeting=meeting, amu_case=amu_case)
    agenda_publish(actor=world.secretary, meeting=meeting)
    attend(world, meeting)
    return amu_case, item


def test_consent_case_through_the_building_arm_with_consent_recorded(world):
    amu_case, item = _to_byggarm(world)
    agenda_item_decide(
        actor=world.secretary, item=item, method="consensus", outcome=Outcome.ADOPTED,
        decision_text="The building arm supports the plans; staff and safety representatives "
                      "took part in the planning.",
    )
    case = amu_case.case
    task = ready(case, "record_application")
    services.task_complete(actor=world.secretary, task_id=task.pk, data={
        "application_reference": "2026/4711", "application_sent_on": "2026-01-15"})
    consent = amu_case.__class__.objects.get(pk=amu_case.pk).consent
    assert consent.application_reference == "2026/4711"
    assert consent.statement.startswith("The building arm supports the plans")
    assert consent.statement_item == item

    task = ready(case, "record_answer")
    services.task_complete(actor=world.secretary, task_id=task.pk, data={
        "authority_answer": "conditions", "authority_answer_date": "2026-02-20",
        "authority_conditions": "Ventilation measured before the building is taken into use."})
    consent.refresh_from_db()
    assert consent.answer == ConsentAnswer.CONDITIONS
    assert consent.answer_date == date(2026, 2, 20)
    assert consent.conditions.startswith("Ventilation")
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED and case.outcome == "closed"


def test_conditions_need_their_text():
    """The answer form asks for the conditions when consent has conditions."""
    from forms.builder import build_form
    from forms.schemas import load_schema

    form = build_form(load_schema("amu_consent_answer.json"), data={
        "authority_answer": "conditions", "authority_answer_date": "2026-02-20"})
    assert not form.is_valid()
    assert "authority_conditions" in form.errors


def test_disagreement_in_the_building_arm_refers_the_same_case_to_amu(world):
    amu_case, item = _to_byggarm(world)
    voting_open(actor=world.secretary, item=item)
    vote_cast(actor=world.users["bchair"], item=item, choice="for")
    vote_cast(actor=world.users["ber"], item=item, choice="for")
    vote_cast(actor=world.users["bemp"], item=item, choice="against")
    with pytest.raises(InvalidInput):  # the minority's view must be recorded
        agenda_item_decide(actor=world.secretary, item=item, method="vote",
                           decision_text="Supported by the majority.")
    item = agenda_item_decide(
        actor=world.secretary, item=item, method="vote",
        decision_text="The majority supports the plans.",
        minority_view="The employee side finds the daylight in the offices insufficient.",
    )
    assert item.outcome == Outcome.REFERRED
    assert item.referral_reason == ReferralReason.DISAGREEMENT
    assert (item.votes_for, item.votes_against) == (2, 1)

    amu_case.refresh_from_db()
    case = amu_case.case
    assert amu_case.body == world.amu
    assert is_ready(case, "schedule") and not is_ready(case, "record_application")

    # The same case continues in AMU, with an AMU number of its own.
    amu_meeting = world.meetings["amu"]
    amu_item = agenda_item_add(actor=world.secretary, meeting=amu_meeting, amu_case=amu_case)
    assert amu_item.number.body == world.amu and amu_item.number != item.number
    agenda_publish(actor=world.secretary, meeting=amu_meeting)
    attend(world, amu_meeting)
    agenda_item_decide(actor=world.secretary, item=amu_item, method="consensus",
                       outcome=Outcome.ADOPTED, decision_text="AMU supports the plans.")
    assert is_ready(case, "record_application")
    services.task_complete(actor=world.secretary, task_id=ready(case, "record_application").pk,
                           data={"application_reference": "2026/99",
                                 "application_sent_on": "2026-01-20"})
    amu_case.refresh_from_db()
    assert amu_case.consent.statement == "AMU supports the plans."


def test_a_case_of_principle_can_be_referred_without_a_vote(world):
    amu_case, item = _to_byggarm(world)
    item = agenda_item_decide(actor=world.secretary, item=item, method="consensus",
                              outcome=Outcome.REFERRED, referral_reason="principle")
    assert item.referral_reason == ReferralReason.PRINCIPLE
    amu_case.refresh_from_db()
    assert amu_case.body == world.amu


def test_amu_itself_cannot_refer(world):
    from .conftest import SUBMISSION

    amu_case = accept(world, amu_case_submit(actor=world.submitter, data=SUBMISSION))
    meeting = world.meetings["amu"]
    item = agenda_item_add(actor=world.secretary, meeting=meeting, amu_case=amu_case)
    agenda_publish(actor=world.secretary, meeting=meeting)
    attend(world, meeting)
    with pytest.raises(InvalidInput):
        agenda_item_decide(actor=world.secretary, item=item, method="consensus",
                           outcome=Outcome.REFERRED, referral_reason="principle")
