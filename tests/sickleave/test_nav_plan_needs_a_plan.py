"""Sending the plan to NAV needs a plan (audit of issue 28): NAV may ask in
week 1, before the leader has made one; the step is refused next to its date
over HTTP, nothing is recorded, and it completes once the plan exists."""

from datetime import date

import pytest
from django.urls import reverse

from cases.exceptions import InvalidTaskData
from cases.services import task_complete
from sickleave import services
from sickleave.models import PlanDispatch
from tests.sickleave.conftest import PLAN, open_bpmn_ids, open_task, oslo

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
NB = {"HTTP_ACCEPT_LANGUAGE": "nb"}
SENT = {"sent_on": "2026-03-05", "method": "nav_digital"}


def test_plan_to_nav_without_a_plan_is_refused_next_to_the_date(client, sick, frozen):
    frozen(oslo(2026, 3, 2, 9))
    followup = services.absence_register(actor=sick.leader, employee=sick.employee,
                                         unit=sick.ivt, first_day=date(2026, 3, 2), grade=100)
    case = followup.case
    frozen(oslo(2026, 3, 5, 9))
    services.nav_plan_request_record(actor=sick.leader, followup=followup,
                                     requested_on=date(2026, 3, 4), due_on=date(2026, 3, 11))
    task = open_task(case, "send_plan_to_nav_requested")

    client.force_login(sick.leader)
    response = client.post(reverse("cases:task", args=[task.pk]), SENT, **NB)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Det finnes ingen oppfølgingsplan ennå" in page
    field = page.index('name="sent_on"')
    assert 'value="2026-03-05"' in page[field - 600:field + 600]  # what was typed is kept
    assert not PlanDispatch.objects.filter(followup=followup).exists()
    assert "send_plan_to_nav_requested" in open_bpmn_ids(case)
    with pytest.raises(InvalidTaskData) as refused:
        task_complete(actor=sick.leader, task_id=task.pk, data=SENT)
    assert "sent_on" in refused.value.extra["errors"]

    services.plan_version_create(actor=sick.leader, followup=followup, data=PLAN)
    response = client.post(reverse("cases:task", args=[task.pk]), SENT, **EN)
    assert response.status_code == 302
    request = followup.nav_requests.get()
    assert request.dispatch is not None and request.dispatch.version.number == 1
    assert "send_plan_to_nav_requested" not in open_bpmn_ids(case)
