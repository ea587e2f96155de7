"""Issue 29 § 4-5, the rules behind the audit's items: reasons for a late
action, an owner outside the unit and a changed severity (shown next to the
field, the form's data kept); the reporter's notifications; a late action's
own escalation; an anonymous report's date; the queue of an action owner."""

import json
import zlib
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cases import services
from cases.models import Case, EventKind, Task
from notifications.models import Delivery, Kind, Notification
from notifications.services import preference_update
from org.models import Unit
from tests.conftest import make_user
from tests.incidents.conftest import in_days, plan_post, ready, submit_report, work
from tests.web.conftest import report_post

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")


def post_plan(client, people, case, data):
    plan = ready(case, "plan_measures")
    client.force_login(people["coordinator"])
    client.post(reverse("cases:task_claim", args=[plan.pk]))
    return client.post(reverse("cases:task", args=[plan.pk]), data)


# -- reasons -------------------------------------------------------------------------


def test_a_late_deadline_is_refused_next_to_its_row_and_kept(client, accepted_case, people):
    # Row 1 left blank: the error belongs to the second posted row's field.
    data = plan_post(("On time", "owner", in_days(5)), ("Next year", "owner", in_days(400)))
    data = {key.replace("measures-1-", "measures-2-"): value for key, value in data.items()}
    response = post_plan(client, people, accepted_case, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["measures-2-deadline"]
    assert "closing deadline" in form.errors["measures-2-deadline"][0]
    html = response.content.decode()
    assert 'value="Next year"' in html and f'value="{in_days(400)}"' in html
    assert not Task.objects.filter(case=accepted_case, bpmn_id="carry_out_measure").exists()

    data["measures-2-reason"] = "The part has a year's delivery time."
    response = client.post(reverse("cases:task", args=[ready(accepted_case,
                                                             "plan_measures").pk]), data)
    assert response.status_code == 302
    late = Task.objects.get(case=accepted_case, title_suffix="Next year")
    assert late.due_at.astimezone(OSLO).date().isoformat() == in_days(400)


def test_a_deadline_on_the_closing_day_needs_no_reason(client, accepted_case, people):
    closing = ready(accepted_case, "plan_measures").due_at.astimezone(OSLO).date()
    response = post_plan(client, people, accepted_case,
                         plan_post(("Last day", "owner", closing.isoformat())))
    assert response.status_code == 302


def test_owners_in_the_unit_or_below_need_no_reason_others_do(
    client, accepted_case, people, units
):
    department = Unit.objects.create(code="ivt-ibm", name="IBM", parent=units["ivt"])
    make_user("department_member", units=[department])
    make_user("stranger", units=[units["nv"]])
    response = post_plan(client, people, accepted_case, plan_post(
        ("A", "department_member", in_days(5)), ("B", "stranger", in_days(5))))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["measures-1-owner"]
    response = client.post(
        reverse("cases:task", args=[ready(accepted_case, "plan_measures").pk]),
        plan_post(("A", "department_member", in_days(5)),
                  ("B", "stranger", in_days(5), "Stranger maintains the lift for us.")))
    assert response.status_code == 302
    assert Task.objects.filter(case=accepted_case, bpmn_id="carry_out_measure").count() == 2


def test_a_changed_severity_needs_a_reason_kept_from_the_reporter(
    client, accepted_case, people
):
    case = accepted_case
    work(client, people["coordinator"], case, "plan_measures", plan_post())
    close = ready(case, "verify_and_close")
    client.force_login(people["coordinator2"])
    client.post(reverse("cases:task_claim", args=[close.pk]))
    data = {"closure_decision": "close", "severity": "less_serious",
            "closure_comment": "Handrail replaced."}
    response = client.post(reverse("cases:task", args=[close.pk]), data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["severity_change_reason"]
    assert "Serious" in response.context["form"].errors["severity_change_reason"][0]
    assert "Handrail replaced." in response.content.decode()

    # The same severity needs no reason; a change with one closes the case.
    data["severity_change_reason"] = "INTERNAL: only the handrail was loose."
    response = client.post(reverse("cases:task", args=[close.pk]), data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.severity == "less_serious"
    history = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "INTERNAL: only the handrail was loose." in history
    client.force_login(people["reporter"])
    reporter_page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "INTERNAL" not in reporter_page and "Handrail replaced." in reporter_page


# -- the reporter's notifications ----------------------------------------------------


def test_the_reporter_hears_of_acceptance_transfer_and_send_back(
    client, definitions, people, report_data
):
    preference_update(user=people["reporter"], delivery=Delivery.IMMEDIATE, language="en")
    case = submit_report(client, people["reporter"], report_data)
    work(client, people["coordinator"], case, "triage",
         {"triage_decision": "transfer", "transfer_to": "nv"})
    work(client, people["nv_coordinator"], case, "triage",
         {"triage_decision": "accept", "severity": "serious",
          "severity_rationale": "INTERNAL reasoning"})
    people["coordinator2"].unit_memberships.update(unit=case.unit)
    work(client, people["nv_coordinator"], case, "plan_measures", plan_post())
    work(client, people["coordinator2"], case, "verify_and_close",
         {"closure_decision": "reopen", "severity": "serious", "closure_comment": "More."})
    texts = list(Notification.objects.filter(
        user=people["reporter"], case=case, kind=Kind.STATUS_CHANGED,
    ).order_by("pk").values_list("text", flat=True))
    assert len(texts) == 3
    assert "transferred to Fakultet for naturvitenskap" in texts[0]
    assert "accepted as serious" in texts[1]
    assert "sent back for more work" in texts[2]
    for text in texts:
        assert "INTERNAL" not in text and "nv_coordinator" not in text


def test_the_reporter_reads_it_in_their_language(client, accepted_case, people):
    (note,) = Notification.objects.filter(user=people["reporter"], case=accepted_case)
    assert "er godtatt som alvorlig" in note.text  # bokmål, the default


def test_an_anonymous_reporter_is_sent_nothing(client, definitions, people, report_data):
    client.logout()
    assert client.post(reverse("incidents:report"),
                       report_post(report_data)).status_code == 302
    case = Case.objects.latest("pk")
    work(client, people["coordinator"], case, "triage",
         {"triage_decision": "transfer", "transfer_to": "nv"})
    work(client, people["nv_coordinator"], case, "triage",
         {"triage_decision": "accept", "severity": "serious"})
    assert not Notification.objects.filter(case=case, kind=Kind.STATUS_CHANGED).exists()
    assert case.reporter_id is None


# -- a late action -------------------------------------------------------------------


def test_a_late_action_goes_to_the_coordinators_then_the_leader(
    client, accepted_case, people, time_machine
):
    time_machine.move_to(datetime.now(UTC), tick=False)
    case = accepted_case
    work(client, people["coordinator"], case, "plan_measures", plan_post(
        ("Soon", "owner", in_days(2)), ("Later", "other_reporter", in_days(20))))
    soon = Task.objects.get(case=case, title_suffix="Soon")
    later = Task.objects.get(case=case, title_suffix="Later")
    assert case.next_timer_at == soon.due_at

    time_machine.move_to(soon.due_at + timedelta(minutes=1), tick=False)
    services.case_wake(case_id=case.pk)
    soon.refresh_from_db()
    assert soon.escalated_at is None  # the coordinators first
    (told,) = case.events.filter(kind=EventKind.ESCALATED)
    assert told.data["to_role"] == "hse_coordinator" and told.data["title"] == "Soon"

    time_machine.move_to(soon.due_at + timedelta(days=1, minutes=1), tick=False)
    services.case_wake(case_id=case.pk)
    soon.refresh_from_db()
    later.refresh_from_db()
    assert soon.escalated_at is not None and later.escalated_at is None
    # The owner finishes late: the case goes on; the other action is untouched.
    work(client, people["owner"], case, "carry_out_measure", {"status": "done"})
    assert ready(case, "carry_out_measure") == later


def test_the_coordinators_then_the_leader_are_notified(
    client, accepted_case, people, time_machine, run_worker
):
    time_machine.move_to(datetime.now(UTC), tick=False)
    case = accepted_case
    work(client, people["coordinator"], case, "plan_measures",
         plan_post(("Soon", "owner", in_days(2))))
    soon = ready(case, "carry_out_measure")
    time_machine.move_to(soon.due_at + timedelta(minutes=1), tick=False)
    services.case_wake(case_id=case.pk)
    run_worker()
    overdue = Notification.objects.filter(case=case, kind=Kind.OVERDUE)
    assert {n.user for n in overdue} == {people["coordinator"], people["coordinator2"]}
    time_machine.move_to(soon.due_at + timedelta(days=1, minutes=1), tick=False)
    services.case_wake(case_id=case.pk)
    run_worker()
    assert overdue.filter(user=people["leader"]).count() == 1


# -- an anonymous report's date ------------------------------------------------------


def test_an_anonymous_reports_state_holds_no_time_of_day_and_deadlines_work(
    client, definitions, people, report_data, time_machine
):
    arrival = datetime(2026, 12, 2, 13, 37, 11, tzinfo=OSLO)  # a Wednesday
    time_machine.move_to(arrival, tick=False)
    client.logout()
    client.post(reverse("incidents:report"), report_post(report_data))
    case = Case.objects.latest("pk")
    midnight = datetime.combine(arrival.date(), time(0), tzinfo=OSLO)
    state = json.loads(zlib.decompress(bytes(case.state)))
    stamps = []

    def collect(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "last_state_change":
                    stamps.append(value)
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(state)
    assert stamps and all(0 <= s - midnight.timestamp() < 1 for s in stamps)
    # Two working days from the date, as before.
    triage = ready(case, "triage")
    assert triage.due_at == datetime(2026, 12, 4, 16, 0, tzinfo=OSLO)
    # The case goes on as any other; a signed-in report keeps its time.
    time_machine.move_to(arrival + timedelta(hours=1), tick=False)
    work(client, people["coordinator"], case, "triage",
         {"triage_decision": "accept", "severity": "serious"})
    assert ready(case, "plan_measures").created_at == arrival + timedelta(hours=1)
    named = submit_report(client, people["reporter"], report_data)
    assert named.created_at == arrival + timedelta(hours=1)


# -- the queue -----------------------------------------------------------------------


def test_the_queue_links_a_coordinators_own_case_and_not_an_owners(
    client, accepted_case, people
):
    case = accepted_case
    work(client, people["coordinator"], case, "plan_measures",
         plan_post(("Bolts", "coordinator2", in_days(5)), ("Rail", "owner", in_days(5))))
    case_url = reverse("cases:detail", args=[case.reference])
    client.force_login(people["coordinator2"])  # staff of the unit: the case is theirs too
    mine = client.get(reverse("cases:queue")).content.decode().split("My tasks", 1)[1]
    assert "Bolts" in mine and case_url in mine and "Serious" in mine
