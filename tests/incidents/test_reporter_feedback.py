"""What the reporter reads on their case page at each step that matters to
them: accepted with its severity, transferred, sent back for more work, and
closed with a summary of what was done and the lessons learned; never the
handlers' reasoning or names (issue 29, § 4)."""

import pytest
from django.urls import reverse

from cases.models import EventKind
from tests.incidents.conftest import in_days, plan_post, submit_report, work

pytestmark = pytest.mark.django_db


def reporter_page(client, people, case) -> str:
    client.force_login(people["reporter"])
    response = client.get(reverse("cases:detail", args=[case.reference]))
    assert response.templates[0].name == "cases/case_reporter.html"
    return response.content.decode()


def test_the_reporter_follows_acceptance_send_back_and_closure(
    client, definitions, people, report_data
):
    case = submit_report(client, people["reporter"], report_data)
    work(client, people["coordinator"], case, "triage",
         {"triage_decision": "transfer", "transfer_to": "nv"})
    html = reporter_page(client, people, case)
    assert str(EventKind.TRANSFERRED.label) in html
    work(client, people["nv_coordinator"], case, "triage",
         {"triage_decision": "accept", "severity": "serious",
          "severity_rationale": "INTERNAL reasoning"})
    html = reporter_page(client, people, case)
    assert "Serious" in html and "INTERNAL reasoning" not in html

    nv_coordinator2 = people["coordinator2"]
    nv_coordinator2.unit_memberships.update(unit=case.unit)
    work(client, people["nv_coordinator"], case, "plan_measures",
         plan_post(("Fix it", "owner", in_days(3),
                    "The owner looks after the stairwell for both units.")))
    work(client, people["owner"], case, "carry_out_measure", {"status": "done"})
    work(client, nv_coordinator2, case, "verify_and_close",
         {"closure_decision": "reopen", "severity": "serious", "closure_comment": "Not yet."})
    assert "Send back for more work" in reporter_page(client, people, case)

    work(client, people["nv_coordinator"], case, "plan_measures", plan_post())
    work(client, nv_coordinator2, case, "verify_and_close",
         {"closure_decision": "close", "severity": "serious",
          "closure_comment": "New handrail mounted.", "lessons_learned": "Check bolts yearly."})
    html = reporter_page(client, people, case)
    assert "New handrail mounted." in html and "Check bolts yearly." in html
    assert "Close the case" in html
    for name in ("nv_coordinator", "coordinator2", "owner"):
        assert f">{name}<" not in html
