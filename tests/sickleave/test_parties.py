"""The employee concerned is the party to a sick-leave follow-up
(``cases.parties``): they never handle it, even as a leader of their unit."""

from datetime import date

import pytest
from django.contrib.auth.models import Group

from cases import services
from cases.exceptions import Disqualified
from cases.models import CaseParty
from cases.parties import named_parties
from cases.selectors import task_queue_groups
from org.roles import UNIT_LEADER
from tests.sickleave.conftest import open_task

pytestmark = pytest.mark.django_db


def test_the_employee_on_sick_leave_never_handles_their_own_follow_up(sick, sick_definition):
    """An employee who is also a leader of their unit is a party: the plan
    goes to the other leader, never to them."""
    from sickleave import services as sick_services

    employee = sick.employee
    employee.groups.add(Group.objects.get(name=UNIT_LEADER))
    followup = sick_services.absence_register(
        actor=sick.leader, employee=employee, unit=sick.ivt, first_day=date.today(), grade=100,
    )
    case = followup.case
    assert named_parties(case, {"followup": followup.pk}) == {employee.pk}
    plan = open_task(case, "make_plan")
    assert CaseParty.objects.filter(case=case, user=employee).exists()
    assert plan not in task_queue_groups(user=employee)
    with pytest.raises(Disqualified):
        services.task_claim(actor=employee, task_id=plan.pk)
    services.task_claim(actor=sick.leader, task_id=plan.pk)
