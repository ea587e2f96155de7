"""The loop backs of the sick-leave process, each gone round twice on the
real engine (time frozen and moved): back at work and ill again within the
window, twice; dialogue meeting 3 asked for, found not needed, asked again,
twice. Deadlines stay anchored on the first day throughout."""

from datetime import date

import pytest

from cases import services as case_services
from cases.models import Case, CaseStatus
from sickleave import services
from sickleave.models import FollowUpStatus, Meeting
from tests.sickleave.conftest import open_bpmn_ids, open_task, oslo

pytestmark = pytest.mark.django_db


def test_back_at_work_and_ill_again_twice_continues_the_same_case(sick, frozen):
    frozen(oslo(2026, 3, 2, 9))
    followup = services.absence_register(actor=sick.leader, employee=sick.employee,
                                         unit=sick.ivt, first_day=date(2026, 3, 2), grade=100)
    case = followup.case
    for returned, resumed in ((date(2026, 3, 10), date(2026, 3, 16)),
                              (date(2026, 3, 20), date(2026, 3, 25))):
        frozen(oslo(returned.year, returned.month, returned.day, 9))
        services.absence_return_to_work(actor=sick.leader, followup=followup,
                                        returned_on=returned)
        case.refresh_from_db()
        assert case.status == CaseStatus.WAITING and not open_bpmn_ids(case)
        frozen(oslo(resumed.year, resumed.month, resumed.day, 9))
        again = services.absence_register(actor=sick.leader, employee=sick.employee,
                                          unit=sick.ivt, first_day=resumed, grade=100)
        assert again.pk == followup.pk
        case.refresh_from_db()
        assert case.status == CaseStatus.RUNNING, case.error_message
        assert "invite_dm1" in open_bpmn_ids(case)
        assert open_task(case, "invite_dm1").due_at == oslo(2026, 4, 20, 16, 0)
    followup.refresh_from_db()
    assert followup.status == FollowUpStatus.OPEN and followup.first_day == date(2026, 3, 2)
    assert Case.objects.count() == 1
    assert followup.periods.count() == 3


def test_meeting_3_asked_for_and_not_needed_twice_then_asked_again(sick, frozen):
    frozen(oslo(2026, 3, 2, 9))
    followup = services.absence_register(actor=sick.leader, employee=sick.employee,
                                         unit=sick.ivt, first_day=date(2026, 3, 2), grade=100)
    case = followup.case
    for _ in range(2):
        services.dm3_request(actor=sick.leader, followup=followup)
        assert "nav_invitation_3" in open_bpmn_ids(case)
        case_services.task_complete(actor=sick.leader,
                                    task_id=open_task(case, "nav_invitation_3").pk,
                                    data={"nav_decision": "not_needed"})
        assert "nav_invitation_3" not in open_bpmn_ids(case)
    services.dm3_request(actor=sick.leader, followup=followup)
    assert "nav_invitation_3" in open_bpmn_ids(case)
    assert Meeting.objects.filter(followup=followup, number=3).exists()
    case.refresh_from_db()
    assert case.status == CaseStatus.RUNNING
