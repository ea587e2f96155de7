"""The unit leader who receives an escalated triage can claim and complete
it over HTTP, not only reassign it; a leader of another unit cannot, and
before the escalation the leader is not a candidate (issue 29, § 5)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import TaskState
from tests.incidents.conftest import ready, submit_report

pytestmark = pytest.mark.django_db


def test_leader_claims_and_completes_an_escalated_triage(
    client, definitions, people, report_data, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    case = submit_report(client, people["reporter"], report_data)
    triage = ready(case, "triage")

    client.force_login(people["leader"])
    client.post(reverse("cases:task_claim", args=[triage.pk]))
    triage.refresh_from_db()
    assert triage.assignee is None  # not escalated yet: not the leader's to take

    time_machine.move_to(triage.due_at + timedelta(minutes=1), tick=False)
    services.case_wake(case_id=case.pk)
    triage.refresh_from_db()
    assert triage.escalated_at is not None

    client.force_login(people["nv_leader"])
    assert client.post(reverse("cases:task_claim", args=[triage.pk])).status_code == 404

    client.force_login(people["leader"])
    queue = client.get(reverse("cases:queue"))
    assert triage in list(queue.context["escalated"])
    response = client.post(reverse("cases:task_claim", args=[triage.pk]))
    assert response["Location"] == reverse("cases:task", args=[triage.pk])
    triage.refresh_from_db()
    assert triage.assignee == people["leader"]
    response = client.post(reverse("cases:task", args=[triage.pk]),
                           {"triage_decision": "accept", "severity": "serious"})
    assert response.status_code == 302
    triage.refresh_from_db()
    assert triage.state == TaskState.COMPLETED and triage.completed_by == people["leader"]
    assert ready(case, "plan_measures")
