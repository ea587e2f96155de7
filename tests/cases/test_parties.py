"""Nobody handles their own case (forvaltningsloven § 6 (1) a), in every
process: the parties a process names, and anyone who declares a conflict,
cannot claim, be assigned or complete the case's tasks; the queues offer the
task to the rest of the group; a declaration is kept with its reason."""

import pytest
from django.conf import settings
from django.urls import reverse

from cases import services
from cases.exceptions import Disqualified
from cases.models import CaseEvent, CaseParty, EventKind, PartyKind, Task, TaskState
from cases.parties import is_disqualified, register_parties
from cases.selectors import task_queue_groups
from incidents.services import incident_report_submit
from tests.conftest import make_user
from tests.incidents.conftest import in_days

pytestmark = pytest.mark.django_db


def ready(case, bpmn_id) -> Task:
    return Task.objects.get(case=case, bpmn_id=bpmn_id, state=TaskState.READY)


def test_a_reporting_coordinator_cannot_triage_their_own_deviation(
    definitions, people, report_data, client
):
    """The coordinator who reported is a party: no claim, no completion, no
    reassignment to them; the task stays in the group for the other
    coordinator, who does it. The queue does not offer it to the reporter."""
    reporter, other = people["coordinator"], people["coordinator2"]
    case = incident_report_submit(reporter=reporter, data=report_data)
    triage = ready(case, "triage")
    assert CaseParty.objects.filter(case=case, user=reporter, kind=PartyKind.PARTY).exists()
    assert is_disqualified(reporter, case)
    assert triage not in task_queue_groups(user=reporter)
    assert triage in task_queue_groups(user=other)

    with pytest.raises(Disqualified):
        services.task_claim(actor=reporter, task_id=triage.pk)
    with pytest.raises(Disqualified):
        services.task_complete(actor=reporter, task_id=triage.pk,
                               data={"triage_decision": "accept", "severity": "serious"})
    with pytest.raises(Disqualified):
        services.task_reassign(actor=people["admin"], task_id=triage.pk, assignee=reporter)
    triage.refresh_from_db()
    assert triage.assignee is None and triage.state == TaskState.READY

    # Over HTTP: the page says so and offers no form; a posted claim is refused.
    client.force_login(reporter)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("cases:task", args=[triage.pk]))
    assert page.status_code == 200
    assert b"You are a party to this case" in page.content
    assert b'action="%s"' % reverse("cases:task_claim", args=[triage.pk]).encode() not in (
        page.content
    )
    assert client.post(reverse("cases:task_claim", args=[triage.pk])).status_code == 403

    services.task_claim(actor=other, task_id=triage.pk)
    triage.refresh_from_db()
    assert triage.assignee == other


def test_an_anonymous_report_has_no_party(definitions, people, report_data):
    case = incident_report_submit(reporter=people["coordinator"], data=report_data,
                                  anonymous=True)
    assert not CaseParty.objects.filter(case=case).exists()
    services.task_claim(actor=people["coordinator"], task_id=ready(case, "triage").pk)


def test_anyone_may_declare_themselves_disqualified_with_a_reason(
    definitions, people, report_data, client
):
    """A coordinator who claimed the task declares a conflict over HTTP: the
    reason is in the audit trail, the task is back in the group, and they
    cannot take it again; a declaration without a reason is refused."""
    coordinator = people["coordinator"]
    case = incident_report_submit(reporter=people["reporter"], data=report_data)
    triage = ready(case, "triage")
    services.task_claim(actor=coordinator, task_id=triage.pk)
    client.force_login(coordinator)
    url = reverse("cases:task_disqualify", args=[triage.pk])

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(url, {"disqualify-reason": "  "})
    assert response.status_code == 400
    assert b"This field is required." in response.content
    assert not CaseParty.objects.filter(case=case, user=coordinator).exists()

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    response = client.post(url, {"disqualify-reason": "The reporter is my brother."})
    assert response.status_code == 302
    declared = CaseParty.objects.get(case=case, user=coordinator)
    assert declared.kind == PartyKind.DECLARED
    assert declared.reason == "The reporter is my brother."
    assert declared.task == triage
    event = CaseEvent.objects.get(case=case, kind=EventKind.DISQUALIFIED)
    assert event.actor == coordinator and event.data["reason"] == "The reporter is my brother."
    assert not event.public
    triage.refresh_from_db()
    assert triage.assignee is None
    assert triage not in task_queue_groups(user=coordinator)
    with pytest.raises(Disqualified):
        services.task_claim(actor=coordinator, task_id=triage.pk)
    services.task_claim(actor=people["coordinator2"], task_id=triage.pk)


def test_a_task_the_workflow_would_assign_to_a_party_goes_to_the_group(
    definitions, people, report_data
):
    """The named owner of a corrective action is the reporter: the action is
    not assigned to them but left to the unit leaders' group."""
    reporter = people["reporter"]
    case = incident_report_submit(reporter=reporter, data=report_data)
    services.task_complete(actor=people["coordinator"], task_id=ready(case, "triage").pk,
                           data={"triage_decision": "accept", "severity": "serious"})
    plan = ready(case, "plan_measures")
    services.task_complete(actor=people["coordinator"], task_id=plan.pk, data={
        "consequence": "Could have fallen.", "cause": "Wear",
        "measures": [{"title": "Fix the handrail", "owner": reporter.username,
                      "deadline": in_days(7)}],
    })
    action = ready(case, "carry_out_measure")
    assert action.assignee is None
    assert action.candidate_group is not None


def test_a_process_registers_its_parties_for_its_own_rules(definitions, people, report_data):
    """The registry's API as another process (AMU) uses it: a function of the
    case and the workflow data; ``is_disqualified`` is the vote rule."""
    from cases import parties

    saved = parties.hook_for("incident")
    extra = make_user("extra_party")
    try:
        register_parties("incident", lambda case, data: [extra.pk, case.reporter_id])
        case = incident_report_submit(reporter=people["reporter"], data=report_data)
        assert is_disqualified(extra, case) and is_disqualified(people["reporter"], case)
        assert not is_disqualified(people["coordinator"], case)
    finally:
        parties._hooks["incident"] = saved


def test_a_party_is_not_notified_of_their_own_case_task(definitions, people, report_data):
    from notifications.recipients import task_candidates

    case = incident_report_submit(reporter=people["coordinator"], data=report_data)
    candidates = task_candidates(ready(case, "triage"))
    assert people["coordinator2"] in candidates
    assert people["coordinator"] not in candidates
