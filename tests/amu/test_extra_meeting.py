"""Two members demand an extra meeting: the secretary gets a task, and
convening the meeting puts it in the body's calendar."""

import pytest
from django.conf import settings

from amu.exceptions import InvalidInput, NotAMember
from amu.models import ExtraMeetingDemand, Meeting
from amu.services.demands import extra_meeting_demand
from cases import services
from cases.models import CaseStatus

from .conftest import ready

pytestmark = pytest.mark.django_db


def test_the_second_members_demand_gives_the_secretary_a_task(world):
    first = extra_meeting_demand(actor=world.users["emp2"], body=world.amu,
                                 reason="Serious accident in the laboratory.")
    assert first.case is None
    with pytest.raises(InvalidInput):  # the same member again does not count twice
        extra_meeting_demand(actor=world.users["emp2"], body=world.amu, reason="Again")
    second = extra_meeting_demand(actor=world.users["er1"], body=world.amu,
                                  reason="Agreed: the accident needs AMU now.")
    case = second.case
    assert case is not None and case.reference.startswith("AMUM-")
    task = ready(case, "convene")
    assert task.candidate_group.name == "amu_secretary"
    assert set(ExtraMeetingDemand.objects.values_list("case", flat=True)) == {case.pk}

    services.task_complete(actor=world.secretary, task_id=task.pk, data={
        "meeting_date": "2030-03-04", "start_time": "14:00", "location": "Room 2"})
    meeting = Meeting.objects.get(body=world.amu, date="2030-03-04")
    assert meeting.extra and meeting.location == "Room 2"
    assert set(ExtraMeetingDemand.objects.values_list("meeting", flat=True)) == {meeting.pk}
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED


def test_only_members_of_the_body_can_demand(world):
    with pytest.raises(NotAMember):
        extra_meeting_demand(actor=world.outsider, body=world.amu, reason="Please")
    with pytest.raises(NotAMember):
        extra_meeting_demand(actor=world.users["observer"], body=world.amu, reason="Please")
    with pytest.raises(NotAMember):
        extra_meeting_demand(actor=world.users["bchair"], body=world.amu, reason="Please")
    with pytest.raises(NotAMember):  # the secretary's seat is no member's
        extra_meeting_demand(actor=world.secretary, body=world.amu, reason="Please")


def test_members_demand_from_the_amu_page(world, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for name in ("emp2", "er2"):
        client.force_login(world.users[name])
        assert b"Demand an extra meeting of AMU" in client.get("/amu/").content
        client.post(f"/amu/organ/{world.amu.code}/krev-mote/",
                    {f"demand-{world.amu.pk}-reason": "Urgent"})
    assert ExtraMeetingDemand.objects.filter(case__isnull=False).count() == 2
    client.force_login(world.secretary)
    assert b"Convene the extra meeting" in client.get("/amu/").content
    case = ExtraMeetingDemand.objects.first().case
    page = client.get(f"/saker/sak/{case.reference}/").content.decode()
    assert "Demands for an extra meeting" in page and "Urgent" in page
