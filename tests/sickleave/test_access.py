"""Who sees a sick-leave case: the employee, the employee's leader, the
unit's HR advisor, and BHT only while invited; not colleagues, other units'
leaders or HR, HSE coordinators or administrators, not even superusers."""

from datetime import date

import pytest
from django.http import Http404
from django.urls import reverse

from cases import access, selectors
from cases.exceptions import NotAllowed
from cases.models import Task, TaskState
from org.models import UnitMembership
from org.roles import UNIT_LEADER
from sickleave import services
from sickleave.access import access_followup
from tests.conftest import make_user
from tests.sickleave.conftest import PLAN, oslo

pytestmark = pytest.mark.django_db

DENIED = ("colleague", "nv_leader", "nv_hr", "coordinator", "admin", "superuser", "bht")


@pytest.fixture
def followup(sick, frozen):
    frozen(oslo(2026, 3, 2, 9))
    followup = services.absence_register(actor=sick.leader, employee=sick.employee,
                                         unit=sick.ivt, first_day=date(2026, 3, 2), grade=100)
    services.plan_version_create(actor=sick.leader, followup=followup, data=PLAN)
    return followup


def test_employee_leader_and_hr_see_the_case(sick, followup):
    ref = followup.case.reference
    for user in (sick.employee, sick.leader, sick.hr):
        assert access.access_case(user, ref) == followup.case
        assert access_followup(user, ref) == followup
    assert access.can_handle_case(sick.leader, followup.case)
    assert access.can_handle_case(sick.hr, followup.case)
    assert not access.can_handle_case(sick.employee, followup.case)


@pytest.mark.parametrize("name", DENIED)
def test_others_are_denied(sick, followup, name):
    user = getattr(sick, name)
    ref = followup.case.reference
    with pytest.raises(Http404):
        access.access_case(user, ref)
    with pytest.raises(Http404):
        access_followup(user, ref)
    task = Task.objects.filter(case=followup.case, state=TaskState.READY).first()
    with pytest.raises(Http404):
        access.access_task(user, task.pk)
    assert not access.is_candidate(user, task)
    assert followup.case not in selectors.case_list_visible(user=user)


@pytest.mark.parametrize("name", DENIED)
def test_others_get_404_on_every_page(client, sick, followup, name):
    client.force_login(getattr(sick, name))
    ref = followup.case.reference
    for url in (
        reverse("sickleave:detail", args=[ref]),
        reverse("sickleave:plan", args=[ref, 1]),
        reverse("sickleave:plan_pdf", args=[ref, 1]),
        reverse("cases:detail", args=[ref]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("sickleave:returned", args=[ref]),
                       {"return-returned_on": "2026-03-02"}).status_code == 404


def test_bht_sees_the_case_only_while_invited(sick, followup):
    ref = followup.case.reference
    with pytest.raises(Http404):
        access_followup(sick.bht, ref)
    invitation = services.bht_invite(actor=sick.employee, followup=followup, adviser=sick.bht)
    assert access_followup(sick.bht, ref) == followup
    assert not access.can_handle_case(sick.bht, followup.case)
    services.bht_revoke(actor=sick.leader, invitation=invitation)
    with pytest.raises(Http404):
        access_followup(sick.bht, ref)


def test_only_occupational_health_can_be_invited(sick, followup):
    from sickleave.services.meetings import MeetingNotAllowed

    with pytest.raises(MeetingNotAllowed):
        services.bht_invite(actor=sick.leader, followup=followup, adviser=sick.colleague)
    with pytest.raises(NotAllowed):
        services.bht_invite(actor=sick.colleague, followup=followup, adviser=sick.bht)


def test_an_absent_leader_cannot_handle_their_own_case(sick, frozen):
    """A unit leader on sick leave sees the case as the employee, never as
    its handler; another leader of the unit registers it."""
    frozen(oslo(2026, 3, 2, 9))
    head = make_user("head", roles=[UNIT_LEADER], units=[sick.ivt])
    followup = services.absence_register(actor=head, employee=sick.leader, unit=sick.ivt,
                                         first_day=date(2026, 3, 2), grade=100)
    assert access_followup(sick.leader, followup.case.reference) == followup
    assert not access.can_handle_case(sick.leader, followup.case)
    task = Task.objects.filter(case=followup.case, state=TaskState.READY).first()
    assert not access.is_candidate(sick.leader, task)
    with pytest.raises(NotAllowed):
        services.plan_version_create(actor=sick.leader, followup=followup, data=PLAN)


def test_leaving_the_unit_ends_access(sick, followup):
    UnitMembership.objects.filter(user=sick.hr, unit=sick.ivt).delete()
    sick.hr.refresh_from_db()
    fresh = type(sick.hr).objects.get(pk=sick.hr.pk)
    with pytest.raises(Http404):
        access_followup(fresh, followup.case.reference)


def test_case_is_in_no_generic_list(sick, followup):
    assert not selectors.task_queue_groups(user=sick.leader).filter(
        case=followup.case).exists()
    assert not selectors.case_list_in_error().filter(pk=followup.case_id).exists()
