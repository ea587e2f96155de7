"""cases.services.case_signal: a BPMN signal from outside the engine, with
its permission check, its "not waiting" answer and its audit event."""

from datetime import date

import pytest

from cases.exceptions import CaseClosed, EventNotExpected, NotAllowed
from cases.models import CaseEvent
from cases.services import case_cancel, case_signal
from sickleave import services
from tests.sickleave.conftest import open_bpmn_ids, oslo

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(sick, frozen):
    frozen(oslo(2026, 3, 2, 9))
    return services.absence_register(actor=sick.leader, employee=sick.employee,
                                     unit=sick.ivt, first_day=date(2026, 3, 2), grade=40).case


def test_signal_reaches_its_catch_event_with_payload(sick, case):
    case_signal(actor=sick.leader, case_id=case.pk, name="absence_became_full",
                payload={"full_absence": True, "dm1_due": "2026-04-20T16:00:00+02:00"})
    assert open_bpmn_ids(case) == {"make_plan", "invite_dm1"}
    event = CaseEvent.objects.filter(case=case, kind="signal").get()
    assert event.actor == sick.leader and event.data == {"signal": "absence_became_full"}


def test_signal_nobody_waits_for(sick, case):
    with pytest.raises(EventNotExpected):
        case_signal(actor=sick.leader, case_id=case.pk, name="no_such_signal")
    before = bytes(case.state)
    case_signal(actor=sick.leader, case_id=case.pk, name="no_such_signal", required=False)
    case.refresh_from_db()
    assert bytes(case.state) == before
    assert not CaseEvent.objects.filter(case=case, kind="signal").exists()


def test_signal_needs_a_handler(sick, case):
    for user in (sick.employee, sick.colleague, sick.admin):
        with pytest.raises(NotAllowed):
            case_signal(actor=user, case_id=case.pk, name="dialogue_meeting_3_requested")


def test_signal_to_a_closed_case(sick, case):
    case_cancel(actor=sick.hr, case_id=case.pk, reason="registered by mistake")
    with pytest.raises(CaseClosed):
        case_signal(actor=sick.leader, case_id=case.pk, name="returned_to_work")
    case_signal(actor=sick.leader, case_id=case.pk, name="returned_to_work", required=False)
