"""Independent audit of issue 29 (HSE deviations), driven over HTTP as the
roles do. The items first found not built (strict xfail) are built now and
lost their markers (branch hse29); their rules are tested further in
test_issue29_rules.py."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cases import services
from cases.models import Case, CaseStatus, Task, TaskState
from incidents.roles import SAFETY_REPRESENTATIVE
from notifications.models import Delivery, Notification
from notifications.services import preference_update
from tests.conftest import make_user
from tests.incidents.conftest import in_days, plan_post, ready, submit_report, work
from tests.web.conftest import report_post

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
MEDICAL = "Fractured skull, admitted to St. Olavs"


def oslo(*args) -> datetime:
    return datetime(*args, tzinfo=OSLO).astimezone(UTC)


@pytest.fixture
def rep(units):
    user = make_user("verneombud", roles=[SAFETY_REPRESENTATIVE], units=[units["ivt"]])
    preference_update(user=user, delivery=Delivery.IMMEDIATE, language="en")
    return user


@pytest.fixture
def nv_rep(units):
    user = make_user("nv_verneombud", roles=[SAFETY_REPRESENTATIVE], units=[units["nv"]])
    preference_update(user=user, delivery=Delivery.IMMEDIATE, language="en")
    return user


# -- a step broken on purpose in the real incident process, then retried ------------


def test_a_broken_step_leaves_the_case_in_error_then_retry_resumes_it(
    client, definitions, people, report_data, rep, monkeypatch
):
    """Break the 'inform the safety representatives' service task when a
    critical accident is accepted: the case is in error at that element,
    its severity kept, the reporter reads 'being handled'; a retry while it
    is still broken keeps it in error; a retry after the fix resumes it."""
    import incidents.services as incident_services

    case = submit_report(client, people["reporter"], {
        **report_data, "incident_type": "accident", "injury_actual": True,
        "description": MEDICAL})
    real = incident_services.safety_representatives_inform

    def broken(**kwargs):
        raise RuntimeError("mail relay down")

    monkeypatch.setattr(incident_services, "safety_representatives_inform", broken)
    work(client, people["coordinator"], case, "triage",
         {"triage_decision": "accept", "severity": "critical"})
    case.refresh_from_db()
    assert case.status == CaseStatus.ERROR
    assert case.error_element == "inform_safety_representatives"

    client.force_login(people["reporter"])
    html = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Being handled" in html and "mail relay" not in html and "badge--error" not in html

    client.force_login(people["admin"])
    client.post(reverse("cases:retry", args=[case.reference]))
    case.refresh_from_db()
    assert case.status == CaseStatus.ERROR

    monkeypatch.setattr(incident_services, "safety_representatives_inform", real)
    client.post(reverse("cases:retry", args=[case.reference]))
    case.refresh_from_db()
    assert case.status == CaseStatus.RUNNING and case.severity == "critical"
    assert ready(case, "plan_measures")
    assert Notification.objects.filter(user=rep, case=case).count() == 1


def test_a_step_broken_in_the_second_round_and_retried(client, accepted_case, people,
                                                       monkeypatch):
    """Round 1: the only action is not feasible, the coordinator plans a new
    one; round 2: not feasible again, escalate -- with the escalation
    operation broken. The case is in error (never 'waiting' with no task),
    severity kept; after the fix a retry goes on to verify-and-close."""
    from cases import operations

    case = accepted_case
    not_feasible = {"status": "not_feasible", "comment": "Cannot."}
    work(client, people["coordinator"], case, "plan_measures",
         plan_post(("Round 1", "owner", in_days(5))))
    work(client, people["owner"], case, "carry_out_measure", not_feasible)
    work(client, people["coordinator"], case, "decide_without_fix",
         {"no_fix_decision": "new_action"})
    work(client, people["coordinator"], case, "plan_measures",
         plan_post(("Round 2", "owner", in_days(5))))
    work(client, people["owner"], case, "carry_out_measure", not_feasible)

    real = operations._REGISTRY["cases.escalate"]

    def broken(**kwargs):
        raise RuntimeError("escalation broken")

    monkeypatch.setitem(operations._REGISTRY, "cases.escalate", broken)
    work(client, people["coordinator"], case, "decide_without_fix",
         {"no_fix_decision": "escalate"})
    case.refresh_from_db()
    assert case.status == CaseStatus.ERROR and case.error_element == "escalate_no_fix"
    assert case.severity == "serious"
    client.force_login(people["admin"])
    client.post(reverse("cases:retry", args=[case.reference]))
    case.refresh_from_db()
    assert case.status == CaseStatus.ERROR and case.severity == "serious"

    monkeypatch.setitem(operations._REGISTRY, "cases.escalate", real)
    client.post(reverse("cases:retry", args=[case.reference]))
    case.refresh_from_db()
    assert case.status == CaseStatus.RUNNING and case.severity == "serious"
    close = ready(case, "verify_and_close")
    assert close.escalated_at is not None
    work(client, people["leader"], case, "verify_and_close",
         {"closure_decision": "close", "severity": "serious", "closure_comment": "Accepted"})
    assert case.status == CaseStatus.COMPLETED and case.severity == "serious"


def test_a_failure_after_triage_keeps_the_severity_the_coordinator_chose(
    client, definitions, people, report_data, monkeypatch
):
    """DEFECT: the triage step sets severity "critical"; the next service task
    fails. save_error (cases/services/persistence.py) does not mirror the
    routing fields as save_workflow does, so the case row keeps a blank
    severity while in error: a critical accident counts as "not yet
    categorised" in the statistics and the safety representative's pages show
    no severity, until someone retries it successfully."""
    import incidents.services as incident_services

    case = submit_report(client, people["reporter"], {
        **report_data, "incident_type": "accident", "injury_actual": True})

    def broken(**kwargs):
        raise RuntimeError("mail relay down")

    monkeypatch.setattr(incident_services, "safety_representatives_inform", broken)
    work(client, people["coordinator"], case, "triage",
         {"triage_decision": "accept", "severity": "critical"})
    case.refresh_from_db()
    assert case.status == CaseStatus.ERROR
    assert case.severity == "critical"


# -- the safety representative -------------------------------------------------------


def test_after_a_transfer_the_new_areas_representative_is_told(
    client, definitions, people, report_data, rep, nv_rep
):
    case = submit_report(client, people["reporter"], {
        **report_data, "incident_type": "accident", "injury_actual": True})
    work(client, people["coordinator"], case, "triage",
         {"triage_decision": "transfer", "transfer_to": "nv"})
    work(client, people["nv_coordinator"], case, "triage",
         {"triage_decision": "accept", "severity": "serious"})
    assert Notification.objects.filter(user=nv_rep, case=case).count() == 1
    assert not Notification.objects.filter(user=rep, case=case).exists()
    client.force_login(nv_rep)
    assert client.get(reverse("incidents:safety_deviation",
                              args=[case.reference])).status_code == 200
    client.force_login(rep)
    assert client.get(reverse("incidents:safety_deviation",
                              args=[case.reference])).status_code == 404


def test_the_representatives_notification_and_register_hold_no_medical_detail(
    client, definitions, people, report_data, rep, run_worker
):
    case = submit_report(client, people["reporter"], {
        **report_data, "incident_type": "accident", "injury_actual": True,
        "medical_treatment": True, "description": MEDICAL})
    work(client, people["coordinator"], case, "triage",
         {"triage_decision": "accept", "severity": "critical",
          "severity_rationale": "INTERNAL triage reasoning"})
    run_worker()
    (note,) = Notification.objects.filter(user=rep, case=case)
    assert MEDICAL not in note.text and "INTERNAL" not in note.text
    client.force_login(rep)
    opened = client.get(reverse("notifications:open", args=[note.pk]))
    assert opened.status_code == 302
    assert opened["Location"] != reverse("cases:detail", args=[case.reference])
    for url in (reverse("incidents:injury_register"), reverse("incidents:safety_deviations"),
                reverse("incidents:safety_deviation", args=[case.reference])):
        html = client.get(url).content.decode()
        assert case.reference in html
        for hidden in (MEDICAL, "INTERNAL", "reporter", "Medical treatment"):
            assert hidden not in html, (url, hidden)


# -- the action owner ----------------------------------------------------------------


def test_the_owners_notification_holds_nothing_about_people_or_health(
    client, accepted_case, people, run_worker
):
    case = accepted_case
    case.incident.description = MEDICAL
    case.incident.save()
    preference_update(user=people["owner"], delivery=Delivery.IMMEDIATE, language="en")
    work(client, people["coordinator"], case, "plan_measures",
         plan_post(("Tighten the bolts", "owner", in_days(5))))
    run_worker()
    notes = list(Notification.objects.filter(user=people["owner"]))
    assert notes
    for note in notes:
        assert MEDICAL not in note.text and "reporter" not in note.text
        assert "Loose bolts." not in note.text and "Fall" not in note.text
    from django.core import mail
    for message in mail.outbox:
        if people["owner"].email in message.to:
            assert MEDICAL not in message.body and "Loose bolts." not in message.body


def test_an_owner_who_is_a_coordinator_elsewhere_still_sees_only_the_task(
    client, accepted_case, people
):
    case = accepted_case
    work(client, people["coordinator"], case, "plan_measures",
         plan_post(("Tighten the bolts", "nv_coordinator", in_days(5),
                    "The bolts are NV's equipment.")))  # outside the unit: a reason
    action = ready(case, "carry_out_measure")
    client.force_login(people["nv_coordinator"])
    assert client.get(reverse("cases:task", args=[action.pk])).status_code == 200
    assert client.get(reverse("cases:detail", args=[case.reference])).status_code == 404


# -- deadlines: a critical report after 16:00, over HTTP ---------------------------


def test_critical_report_after_16_is_due_four_hours_from_arrival_over_http(
    client, definitions, people, report_data, time_machine
):
    time_machine.move_to(oslo(2026, 12, 4, 16, 40), tick=False)  # a Friday
    client.logout()
    response = client.post(reverse("incidents:report"), report_post(
        {**report_data, "severity_suggested": "critical"}))
    assert response.status_code == 302
    case = Case.objects.latest("pk")
    triage = ready(case, "triage")
    # Sent without logging in, so anonymous: arrival + 4 h (20:40) would give
    # away the arrival time the report must not keep (audit 2 of issue 29);
    # it is due at the end of its 4-hour window (16-20), earlier, not later.
    assert triage.due_at == oslo(2026, 12, 4, 20, 0)
    assert triage.escalated_at is None
    time_machine.move_to(oslo(2026, 12, 4, 20, 41), tick=False)
    services.case_wake(case_id=case.pk)
    triage.refresh_from_db()
    assert triage.escalated_at is not None
    # The leader claims and completes it.
    work(client, people["leader"], case, "triage",
         {"triage_decision": "accept", "severity": "critical"})
    assert case.severity == "critical" and ready(case, "plan_measures")


# -- sections 4/5: found not built by the audit, built since ---------------------------


def test_late_action_escalates_on_its_own_deadline(client, accepted_case, people,
                                                    time_machine):
    time_machine.move_to(datetime.now(UTC), tick=False)
    case = accepted_case
    work(client, people["coordinator"], case, "plan_measures",
         plan_post(("Tighten the bolts", "owner", in_days(3))))
    action = ready(case, "carry_out_measure")
    time_machine.move_to(action.due_at + timedelta(days=2), tick=False)
    services.case_wake(case_id=case.pk)
    action.refresh_from_db()
    assert action.escalated_at is not None


def test_action_deadline_after_the_closing_deadline_needs_a_reason(
    client, accepted_case, people
):
    case = accepted_case
    plan = ready(case, "plan_measures")
    client.force_login(people["coordinator"])
    client.post(reverse("cases:task_claim", args=[plan.pk]))
    response = client.post(reverse("cases:task", args=[plan.pk]),
                           plan_post(("Tighten the bolts", "owner", in_days(400))))
    assert response.status_code == 200  # refused, with an error next to the field


def test_owner_outside_the_unit_needs_a_reason(client, accepted_case, people, units):
    make_user("stranger", units=[units["nv"]])
    case = accepted_case
    plan = ready(case, "plan_measures")
    client.force_login(people["coordinator"])
    client.post(reverse("cases:task_claim", args=[plan.pk]))
    response = client.post(reverse("cases:task", args=[plan.pk]),
                           plan_post(("Tighten the bolts", "stranger", in_days(5))))
    assert response.status_code == 200


def test_severity_change_at_closure_needs_a_reason(client, accepted_case, people):
    case = accepted_case
    work(client, people["coordinator"], case, "plan_measures", plan_post())
    close = ready(case, "verify_and_close")
    client.force_login(people["coordinator2"])
    client.post(reverse("cases:task_claim", args=[close.pk]))
    response = client.post(reverse("cases:task", args=[close.pk]), {
        "closure_decision": "close", "severity": "less_serious", "closure_comment": "Done"})
    assert response.status_code == 200


def test_reporter_is_notified_at_acceptance_and_transfer(client, definitions, people,
                                                         report_data, run_worker):
    case = submit_report(client, people["reporter"], report_data)
    work(client, people["coordinator"], case, "triage",
         {"triage_decision": "transfer", "transfer_to": "nv"})
    work(client, people["nv_coordinator"], case, "triage",
         {"triage_decision": "accept", "severity": "serious"})
    run_worker()
    assert Notification.objects.filter(user=people["reporter"], case=case).count() >= 2


def test_an_anonymous_report_keeps_only_its_date(client, definitions, units, report_data,
                                                 time_machine):
    time_machine.move_to(oslo(2026, 12, 2, 13, 37, 11), tick=False)
    client.logout()
    response = client.post(reverse("incidents:report"), report_post(report_data))
    assert response.status_code == 302, response.context["form"].errors
    case = Case.objects.latest("pk")
    stamps = [case.created_at, *Task.objects.filter(case=case).values_list(
        "created_at", flat=True), *case.events.values_list("at", flat=True)]
    assert all(stamp.astimezone(OSLO).time() == datetime.min.time() for stamp in stamps)


def test_every_action_not_feasible_needs_a_decision_before_closing(
    client, accepted_case, people
):
    case = accepted_case
    work(client, people["coordinator"], case, "plan_measures",
         plan_post(("A", "owner", in_days(4)), ("B", "other_reporter", in_days(4))))
    for who in ("owner", "other_reporter"):
        work(client, people[who], case, "carry_out_measure",
             {"status": "not_feasible", "comment": "No."})
    assert not Task.objects.filter(case=case, bpmn_id="verify_and_close",
                                   state=TaskState.READY).exists()
    decide = ready(case, "decide_without_fix")
    # The owner of a "not feasible" action cannot decide it.
    client.force_login(people["owner"])
    assert client.get(reverse("cases:task", args=[decide.pk])).status_code == 404


def test_the_task_queue_shows_the_owner_neither_severity_nor_a_dead_case_link(
    client, accepted_case, people
):
    """DEFECT (low): "My cases" hides the severity and the case link from an
    action owner, but the task queue (/saker/oppgaver/), where the same action
    is listed under "My tasks", shows the case's severity and links to the
    case page, which answers 404 for them."""
    case = accepted_case
    work(client, people["coordinator"], case, "plan_measures",
         plan_post(("Tighten the bolts", "owner", in_days(5))))
    client.force_login(people["owner"])
    html = client.get(reverse("cases:queue")).content.decode()
    assert "Tighten the bolts" in html
    case_url = reverse("cases:detail", args=[case.reference])
    assert client.get(case_url).status_code == 404
    assert case_url not in html
    assert "Serious" not in html.split("My tasks", 1)[1]
