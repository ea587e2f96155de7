"""Every loop back in the incident process, each gone round twice over HTTP:
the case sent back at "verify and close" and re-planned (with actions, and
without), and the report transferred from unit to unit before acceptance."""

import pytest
from django.urls import reverse

from cases.models import CaseStatus, Task, TaskState
from cases.services.persistence import load_workflow
from tests.incidents.conftest import in_days, plan_post, ready, submit_report, work

pytestmark = pytest.mark.django_db

CLOSE = {"closure_decision": "close", "severity": "serious", "closure_comment": "Fixed"}
REOPEN = {"closure_decision": "reopen", "severity": "serious", "closure_comment": "Not yet"}


def test_sent_back_twice_with_new_actions_each_round(client, accepted_case, people):
    case = accepted_case
    for round_no in (1, 2, 3):
        work(client, people["coordinator"], case, "plan_measures",
             plan_post((f"Action of round {round_no}", "owner", in_days(7))))
        action = ready(case, "carry_out_measure")
        assert action.title_suffix == f"Action of round {round_no}"
        assert action.assignee == people["owner"]
        work(client, people["owner"], case, "carry_out_measure", {"status": "done"})
        if round_no < 3:
            work(client, people["coordinator2"], case, "verify_and_close", REOPEN)
            assert case.status == CaseStatus.RUNNING and case.severity == "serious"
    data = load_workflow(case).current_data()
    # Each round started with an empty output collection; the earlier rounds'
    # actions and reports are kept as history.
    assert [r["title"] for r in data["measure_results"]] == ["Action of round 3"]
    assert [(r["title"], r["status"]) for r in data["earlier_measures"]] == [
        ("Action of round 1", "done"), ("Action of round 2", "done")]
    work(client, people["coordinator2"], case, "verify_and_close", CLOSE)
    assert case.status == CaseStatus.COMPLETED and case.outcome == "closed"
    assert case.severity == "serious"
    assert Task.objects.filter(case=case, bpmn_id="carry_out_measure",
                               state=TaskState.COMPLETED).count() == 3


def test_sent_back_twice_without_actions_then_with_one(client, accepted_case, people):
    case = accepted_case
    for _ in range(2):
        work(client, people["coordinator"], case, "plan_measures", plan_post())
        work(client, people["coordinator2"], case, "verify_and_close", REOPEN)
    work(client, people["coordinator"], case, "plan_measures",
         plan_post(("Fix the handrail", "owner", in_days(3))))
    work(client, people["owner"], case, "carry_out_measure", {"status": "done"})
    work(client, people["coordinator2"], case, "verify_and_close", CLOSE)
    assert case.status == CaseStatus.COMPLETED


def test_the_replan_form_starts_without_the_last_rounds_actions(client, accepted_case, people):
    case = accepted_case
    work(client, people["coordinator"], case, "plan_measures",
         plan_post(("Fix the handrail", "owner", in_days(3))))
    work(client, people["owner"], case, "carry_out_measure", {"status": "done"})
    work(client, people["coordinator2"], case, "verify_and_close", REOPEN)
    plan = ready(case, "plan_measures")
    client.force_login(people["coordinator"])
    client.post(reverse("cases:task_claim", args=[plan.pk]))
    page = client.get(reverse("cases:task", args=[plan.pk])).content.decode()
    assert "Loose bolts." in page  # the assessment is kept
    assert 'value="Fix the handrail"' not in page  # the done action is not offered again


def test_transferred_twice_then_accepted(client, definitions, people, report_data):
    case = submit_report(client, people["reporter"], report_data)
    work(client, people["coordinator"], case, "triage",
         {"triage_decision": "transfer", "transfer_to": "nv"})
    assert case.unit.code == "nv"
    work(client, people["nv_coordinator"], case, "triage",
         {"triage_decision": "transfer", "transfer_to": "ivt"})
    assert case.unit.code == "ivt"
    triage = ready(case, "triage")
    assert triage.due_at is not None
    work(client, people["coordinator"], case, "triage",
         {"triage_decision": "accept", "severity": "less_serious"})
    assert case.severity == "less_serious"
    assert ready(case, "plan_measures")


NOT_FEASIBLE = {"status": "not_feasible", "comment": "Cannot be done."}


def test_no_feasible_action_twice_needs_a_decision_each_time(client, accepted_case, people):
    """Every action "not feasible" cannot go straight to closure: the
    coordinator plans new actions (twice round this loop), then accepts the
    risk with a reason, kept in the history."""
    case = accepted_case
    for round_no in (1, 2):
        work(client, people["coordinator"], case, "plan_measures",
             plan_post((f"Try {round_no}", "owner", in_days(4))))
        work(client, people["owner"], case, "carry_out_measure", NOT_FEASIBLE)
        assert not Task.objects.filter(case=case, bpmn_id="verify_and_close",
                                       state=TaskState.READY).exists()
        work(client, people["coordinator"], case, "decide_without_fix",
             {"no_fix_decision": "new_action"})
    work(client, people["coordinator"], case, "plan_measures",
         plan_post(("Try 3", "owner", in_days(4))))
    work(client, people["owner"], case, "carry_out_measure", NOT_FEASIBLE)

    decide = ready(case, "decide_without_fix")
    client.force_login(people["coordinator"])
    refused = client.post(reverse("cases:task", args=[decide.pk]),
                          {"no_fix_decision": "accept_risk"})
    assert refused.status_code == 200 and "risk_acceptance_reason" in refused.context["form"].errors
    work(client, people["coordinator"], case, "decide_without_fix",
         {"no_fix_decision": "accept_risk", "risk_acceptance_reason": "Area closed off."})
    work(client, people["coordinator2"], case, "verify_and_close", CLOSE)
    assert case.status == CaseStatus.COMPLETED
    client.force_login(people["coordinator2"])
    assert "Area closed off." in client.get(
        reverse("cases:detail", args=[case.reference])).content.decode()


def test_no_feasible_action_escalated_goes_to_the_leader_who_closes(
    client, accepted_case, people
):
    case = accepted_case
    work(client, people["coordinator"], case, "plan_measures",
         plan_post(("Try", "owner", in_days(4))))
    work(client, people["owner"], case, "carry_out_measure", NOT_FEASIBLE)
    work(client, people["coordinator"], case, "decide_without_fix",
         {"no_fix_decision": "escalate"})
    close = ready(case, "verify_and_close")
    assert close.escalated_at is not None
    work(client, people["leader"], case, "verify_and_close", CLOSE)
    assert case.status == CaseStatus.COMPLETED


def test_one_feasible_action_goes_straight_to_verification(client, accepted_case, people):
    case = accepted_case
    work(client, people["coordinator"], case, "plan_measures",
         plan_post(("A", "owner", in_days(4)), ("B", "other_reporter", in_days(4))))
    work(client, people["owner"], case, "carry_out_measure", NOT_FEASIBLE)
    work(client, people["other_reporter"], case, "carry_out_measure", {"status": "done"})
    assert ready(case, "verify_and_close")
