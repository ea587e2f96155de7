"""Every loop back in the near-parking process, gone round twice on the real
engine: documentation asked for at the completeness check, documentation
asked for by the physiotherapist (before and after an appeal), and the
offer/decision loop. An appeal itself is allowed once (appeal_round == 0):
that a second appeal is refused is tested in test_lifecycle."""

import pytest

from cases.models import CaseStatus, Task, TaskState
from parking.models import ApplicationStatus
from parking.services.applications import (
    appeal_submit,
    decision_delivered,
    documentation_supply,
)
from tests.conftest import make_user
from tests.parking.conftest import checked, complete, pdf_upload, ready, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def kari(units):
    return make_user("kari", units=[units["ivt"]])


def supply(app, user):
    documentation_supply(actor=user, application_id=app.pk,
                         uploads=[checked(pdf_upload("ny.pdf"))], kind="doctor_statement")
    app.refresh_from_db()


def test_completeness_check_asks_for_documentation_twice(apply, staff, kari, zones):
    app = apply(kari)
    for round_no in (1, 2):
        complete(staff["officer"], app.case, "completeness_check",
                 {"completeness": "missing", "documentation_request": f"Request {round_no}"})
        app.refresh_from_db()
        assert app.status == ApplicationStatus.AWAITING_DOCUMENTATION
        assert ready(app.case, "supply_documentation").assignee == kari
        supply(app, kari)
        assert app.status == ApplicationStatus.SUBMITTED
    assert app.documentation_requests.count() == 2
    assert app.documents.count() == 3
    complete(staff["officer"], app.case, "completeness_check", {"completeness": "complete"})
    complete(staff["physio"], app.case, "assess", score())
    assert ready(app.case, "allocate")


def test_physiotherapist_asks_for_documentation_twice(apply, staff, kari, zones):
    app = apply(kari)
    complete(staff["officer"], app.case, "completeness_check", {"completeness": "complete"})
    for round_no in (1, 2):
        complete(staff["physio"], app.case, "assess",
                 {"assessment_result": "needs_documentation",
                  "documentation_request": f"More, round {round_no}"})
        supply(app, kari)
        complete(staff["officer"], app.case, "completeness_check", {"completeness": "complete"})
    complete(staff["physio"], app.case, "assess", score())
    complete(staff["officer"], app.case, "allocate", {"allocation_decision": "grant"})
    app.refresh_from_db()
    assert app.status == ApplicationStatus.GRANTED


def test_after_an_appeal_the_reassessment_asks_for_documentation_twice(
    apply, staff, to_allocation, kari, zones
):
    app = apply(kari)
    complete(staff["officer"], to_allocation(app, function="0").case, "allocate",
             {"allocation_decision": "reject", "decision_reasons": "Low score."})
    # The appeal period runs from when the letter reached Kari (fvl. § 29).
    decision_delivered(reader=kari, decision_id=app.decisions.latest("pk").pk)
    appeal_submit(actor=kari, application_id=app.pk, grounds="Worse now.", uploads=[],
                  kind="doctor_statement")
    for _ in range(2):
        complete(staff["physio2"], app.case, "reassess",
                 {"assessment_result": "needs_documentation",
                  "documentation_request": "A new statement, please."})
        supply(app, kari)
        complete(staff["officer"], app.case, "completeness_check", {"completeness": "complete"})
    # Still the appeal round: the reassessment, not the first assessment.
    assert not Task.objects.filter(case=app.case, bpmn_id="assess",
                                   state=TaskState.READY).exists()
    complete(staff["physio2"], app.case, "reassess", score(function="4"))
    # The first instance's review, by an officer other than the one who decided.
    complete(staff["officer2"], app.case, "review_appeal", {
        "appeal_review": "reverse", "allocation_decision": "grant",
        "decision_reasons": "The new statement shows a greater need."})
    app.refresh_from_db()
    app.case.refresh_from_db()
    assert app.status == ApplicationStatus.GRANTED
    assert app.case.status != CaseStatus.ERROR
