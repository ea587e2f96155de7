"""The whole incident lifecycle through HTTP, on the real engine and database:
a reporter posts the report form, a coordinator claims and triages it and
plans a corrective action with an owner, the owner reports it done, a second
coordinator closes the case (the first is refused by the four-eyes rule), and
the reporter sees the case completed under "My cases"."""

import re

import pytest
from django.urls import reverse

from cases.exceptions import FourEyesViolation
from cases.models import Case, CaseStatus, TaskState
from tests.incidents.conftest import in_days
from tests.web.conftest import messages_of, ready, report_post

pytestmark = pytest.mark.django_db


def test_incident_from_report_to_closure(client, definitions, people, report_data):
    # The reporter sends the report while logged in, not anonymously.
    client.force_login(people["reporter"])
    response = client.post(reverse("incidents:report"), report_post(report_data))
    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == f"{reverse('incidents:receipt')}?ref={case.reference}"
    assert case.reporter == people["reporter"]
    receipt = client.get(response["Location"])
    assert case.reference in receipt.content.decode()

    # The coordinator finds the triage task in the group queue and claims it.
    client.force_login(people["coordinator"])
    queue = client.get(reverse("cases:queue"))
    assert [t.case for t in queue.context["groups"]] == [case]
    triage = ready(case, "triage")
    response = client.post(reverse("cases:task_claim", args=[triage.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:task", args=[triage.pk])
    triage.refresh_from_db()
    assert triage.assignee == people["coordinator"]

    page = client.get(reverse("cases:task", args=[triage.pk]))
    assert page.status_code == 200
    assert page.context["form"] is not None
    assert "Loose handrail in stairwell" in page.content.decode()  # the report is shown

    response = client.post(
        reverse("cases:task", args=[triage.pk]),
        {"triage_decision": "accept", "severity": "serious", "severity_rationale": "Fall risk"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.reference])
    case.refresh_from_db()
    assert case.severity == "serious"

    # Plan one corrective action owned by a user without a staff role.
    plan = ready(case, "plan_measures")
    client.post(reverse("cases:task_claim", args=[plan.pk]))
    response = client.post(
        reverse("cases:task", args=[plan.pk]),
        {
            "consequence": "Someone could fall down the stairs.",
            "cause": "Loose bolts.",
            "measures-0-title": "Fix the handrail",
            "measures-0-owner": "owner",
            "measures-0-deadline": in_days(3),
        },
    )
    assert response.status_code == 302, response.context["form"].errors

    # The owner finds the task under "My cases" and reports it done.
    measure = ready(case, "carry_out_measure")
    assert measure.assignee == people["owner"]
    client.force_login(people["owner"])
    mine = client.get(reverse("cases:mine"))
    assert list(mine.context["my_tasks"]) == [measure]
    response = client.post(reverse("cases:task", args=[measure.pk]), {"status": "done"})
    assert response.status_code == 302

    # The planner may not verify their own plan: claim and completion are refused.
    close = ready(case, "verify_and_close")
    four_eyes = str(FourEyesViolation.default_message)
    client.force_login(people["coordinator"])
    response = client.post(reverse("cases:task_claim", args=[close.pk]), follow=True)
    assert four_eyes in messages_of(response)
    refused = client.post(
        reverse("cases:task", args=[close.pk]),
        {"closure_decision": "close", "severity": "serious", "closure_comment": "Fixed"},
    )
    assert refused.status_code == 200
    content = refused.content.decode()
    assert four_eyes in content
    assert 'role="alert"' in content
    assert "Fixed</textarea>" in content  # the input is kept
    close.refresh_from_db()
    assert close.state == TaskState.READY and close.assignee is None

    # A second coordinator closes; the form starts from the triage severity.
    client.force_login(people["coordinator2"])
    page = client.get(reverse("cases:task", args=[close.pk]))
    assert re.search(r'value="serious"[^>]*checked', page.content.decode())
    response = client.post(
        reverse("cases:task", args=[close.pk]),
        {"closure_decision": "close", "severity": "serious", "closure_comment": "Fixed"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED and case.outcome == "closed"

    # The reporter sees the case completed, without staff names in the history.
    client.force_login(people["reporter"])
    mine = client.get(reverse("cases:mine"))
    row = re.search(
        rf"{case.reference}</a></th>.*?</tr>", mine.content.decode(), flags=re.S
    ).group(0)
    assert "Completed" in row and "closed" in row
    detail = client.get(reverse("cases:detail", args=[case.reference]))
    assert detail.templates[0].name == "cases/case_reporter.html"
    assert "coordinator2" not in detail.content.decode()
