"""The applicant withdraws a pending appeal (fvl. §§ 28-33): the handling
stops wherever it is, the decision appealed stands, and the health
information goes once that decision is final."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import TaskState
from parking.models import ApplicationStatus, Decision
from parking.services.applications import AppealNotPossible, appeal_submit, appeal_withdraw
from tests.parking.conftest import complete, score
from tests.parking.test_audit2_fvl import kari, rejected  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("stage", ["reassess", "review_appeal", "appeal_body_decision"])
def test_withdrawing_a_pending_appeal_stops_it_and_the_decision_stands(
    client, apply, kari, staff, time_machine, run_worker, stage  # noqa: F811
):
    time_machine.move_to(timezone.now(), tick=False)
    app = apply(kari)
    decision = rejected(app, staff, function="1", distance="0", days="0")
    appeal_submit(actor=kari, application_id=app.pk, grounds="Worse.", uploads=[],
                  kind="doctor_statement")
    if stage != "reassess":
        complete(staff["physio2"], app.case, "reassess", score(function="1"))
    if stage == "appeal_body_decision":
        complete(staff["officer2"], app.case, "review_appeal",
                 {"appeal_review": "forward", "decision_reasons": "Kept."})
    client.force_login(kari)
    page = client.get(reverse("parking:application", args=[app.pk])).content.decode()
    assert "Withdraw the appeal" in page
    response = client.post(reverse("parking:appeal_withdraw", args=[app.pk]))
    assert response.status_code == 302
    app.refresh_from_db()
    app.case.refresh_from_db()
    assert app.case.status == "completed"
    assert app.status == ApplicationStatus.REJECTED
    assert not app.case.tasks.filter(state=TaskState.READY).exists()
    assert app.appeals.get().withdrawn_at is not None
    assert Decision.objects.filter(application=app).count() == 1  # no new decision
    page = client.get(reverse("parking:application", args=[app.pk])).content.decode()
    assert "Withdraw the appeal" not in page and "You withdrew this appeal" in page
    with pytest.raises(AppealNotPossible):
        appeal_withdraw(actor=kari, application_id=app.pk)
    time_machine.move_to(max(decision.appeal_deadline, timezone.now()) + timedelta(minutes=5),
                         tick=False)
    run_worker()
    app.refresh_from_db()
    assert app.health_data_deleted_at is not None


def test_nobody_else_withdraws_the_appeal(apply, kari, staff):  # noqa: F811
    from cases.exceptions import NotAllowed

    app = apply(kari)
    rejected(app, staff, function="1", distance="0", days="0")
    appeal_submit(actor=kari, application_id=app.pk, grounds="Worse.", uploads=[],
                  kind="doctor_statement")
    with pytest.raises(NotAllowed):
        appeal_withdraw(actor=staff["officer"], application_id=app.pk)
    assert app.appeals.get().withdrawn_at is None
