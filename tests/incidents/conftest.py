"""Helpers for the incident tests: drive the process over HTTP as each role
does (claim, then post the task's form)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Task, TaskState
from tests.web.conftest import client as client  # noqa: F401  (English pages)
from tests.web.conftest import report_post


def ready(case, bpmn_id) -> Task:
    return Task.objects.get(case=case, bpmn_id=bpmn_id, state=TaskState.READY)


def in_days(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def submit_report(client, user, report: dict) -> Case:
    client.force_login(user)
    response = client.post(reverse("incidents:report"), report_post(report))
    assert response.status_code == 302
    return Case.objects.latest("pk")


def work(client, user, case, bpmn_id, data: dict, *, claim: bool = True):
    """Claim the case's ready task ``bpmn_id`` (unless assigned) and post its
    form; of several ready instances (corrective actions), the user's own."""
    instances = Task.objects.filter(case=case, bpmn_id=bpmn_id, state=TaskState.READY)
    task = instances.get(assignee=user) if instances.count() > 1 else instances.get()
    client.force_login(user)
    if claim and task.assignee_id is None:
        response = client.post(reverse("cases:task_claim", args=[task.pk]))
        assert response.status_code == 302
    response = client.post(reverse("cases:task", args=[task.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    case.refresh_from_db()
    return task


def plan_post(*measures: tuple[str, ...]) -> dict:
    """The planning form; each measure is (title, owner, deadline) or
    (title, owner, deadline, reason): the reason an owner outside the unit, or
    a deadline after the case's closing deadline, needs."""
    data = {"consequence": "Someone could fall.", "cause": "Loose bolts."}
    for i, (title, owner, deadline, *reason) in enumerate(measures):
        data.update({f"measures-{i}-title": title, f"measures-{i}-owner": owner,
                     f"measures-{i}-deadline": deadline})
        if reason:
            data[f"measures-{i}-reason"] = reason[0]
    return data


@pytest.fixture
def accepted_case(client, definitions, people, report_data):
    """A report the coordinator accepted as serious."""
    case = submit_report(client, people["reporter"], report_data)
    work(client, people["coordinator"], case, "triage",
         {"triage_decision": "accept", "severity": "serious", "severity_rationale": "Fall"})
    return case
