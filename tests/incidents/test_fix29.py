"""The fixes of audit 2 of issue 29 (branch fix29), beyond the audit's own
tests: their edges and what they must not break."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import services
from cases.models import Case, Task
from notifications.models import Kind, Notification
from tests.conftest import make_user
from tests.incidents.conftest import in_days, plan_post, ready, submit_report, work
from tests.web.conftest import report_post

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
MIDNIGHT = re.compile(r"(?<![:\d])00:00")  # shown as a time of day (not 16:00:00)


def _plan(client, people, case, data):
    plan = ready(case, "plan_measures")
    client.force_login(people["coordinator"])
    if plan.assignee_id is None:
        client.post(reverse("cases:task_claim", args=[plan.pk]))
    return client.post(reverse("cases:task", args=[plan.pk]), data)


# -- a critical report: named or anonymous ---------------------------------------------


def test_a_named_critical_report_is_due_four_hours_from_arrival_to_the_minute(
    client, definitions, people, report_data, time_machine
):
    arrival = datetime(2026, 12, 2, 13, 37, 11, tzinfo=OSLO)
    time_machine.move_to(arrival, tick=False)
    case = submit_report(client, people["reporter"], {**report_data,
                                                      "severity_suggested": "critical"})
    assert ready(case, "triage").due_at == arrival + timedelta(hours=4)


def test_an_anonymous_critical_report_is_due_at_the_end_of_its_window_and_escalates(
    client, definitions, people, report_data, time_machine, run_worker
):
    time_machine.move_to(datetime(2026, 12, 2, 9, 5, tzinfo=OSLO), tick=False)
    client.logout()
    client.post(reverse("incidents:report"), report_post(
        {**report_data, "severity_suggested": "critical"}))
    case = Case.objects.latest("pk")
    triage = ready(case, "triage")
    assert triage.due_at == datetime(2026, 12, 2, 12, 0, tzinfo=OSLO)  # 08-12
    time_machine.move_to(datetime(2026, 12, 2, 12, 0, 1, tzinfo=OSLO), tick=False)
    services.case_wake(case_id=case.pk)
    triage.refresh_from_db()
    assert triage.escalated_at is not None
    run_worker()
    # The escalation happens at a time of day; only the arrival keeps its date.
    assert Notification.objects.filter(case=case, kind=Kind.OVERDUE,
                                       user=people["leader"]).exists()


def test_a_named_reports_notifications_keep_their_time(
    client, definitions, people, report_data, time_machine, run_worker
):
    arrival = datetime(2026, 12, 2, 13, 37, 11, tzinfo=OSLO)
    time_machine.move_to(arrival, tick=False)
    case = submit_report(client, people["reporter"], report_data)
    run_worker()
    notes = Notification.objects.filter(case=case, user=people["coordinator"])
    assert [n.created_at for n in notes] == [arrival]
    client.force_login(people["coordinator"])
    assert "13:37" in client.get(reverse("notifications:list")).content.decode()


def test_an_anonymous_reports_e_mailed_notification_keeps_no_time(
    client, definitions, people, report_data, time_machine, run_worker
):
    people["coordinator"].email = "koord@example.org"
    people["coordinator"].save()
    time_machine.move_to(datetime(2026, 12, 2, 13, 37, 11, tzinfo=OSLO), tick=False)
    client.logout()
    client.post(reverse("incidents:report"), report_post(report_data))
    run_worker()
    note = Notification.objects.get(user=people["coordinator"])
    midnight = datetime(2026, 12, 2, tzinfo=OSLO)
    assert note.created_at == note.emailed_at == midnight
    client.force_login(people["coordinator"])
    page = client.get(reverse("notifications:list")).content.decode()
    assert '<time datetime="2026-12-02">' in page and not MIDNIGHT.search(page)  # date only
    case = Case.objects.latest("pk")
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert '<time datetime="2026-12-02">' in page and not MIDNIGHT.search(page)  # + history


# -- the overdue notice names the action -----------------------------------------------


def test_the_overdue_notices_name_the_action(
    client, accepted_case, people, time_machine, run_worker
):
    time_machine.move_to(datetime.now(UTC), tick=False)
    case = accepted_case
    work(client, people["coordinator"], case, "plan_measures",
         plan_post(("Replace the rail", "owner", in_days(2)), ("Bolts", "owner", in_days(9))))
    rail = Task.objects.get(case=case, title_suffix="Replace the rail")
    time_machine.move_to(rail.due_at + timedelta(minutes=1), tick=False)
    services.case_wake(case_id=case.pk)
    run_worker()
    told = Notification.objects.get(case=case, kind=Kind.OVERDUE, user=people["coordinator"])
    assert "Replace the rail" in told.text and "Bolts" not in told.text
    assert told.task == rail
    time_machine.move_to(rail.due_at + timedelta(days=1, minutes=1), tick=False)
    services.case_wake(case_id=case.pk)
    run_worker()
    told = Notification.objects.get(case=case, kind=Kind.OVERDUE, user=people["leader"])
    assert "Replace the rail" in told.text


# -- a deadline already past -----------------------------------------------------------


def test_a_deadline_today_counts_until_the_end_of_the_working_day(
    client, accepted_case, people, time_machine
):
    today = datetime.now(OSLO).date()
    time_machine.move_to(datetime.combine(today, datetime.min.time(), OSLO)
                         + timedelta(hours=16, seconds=1), tick=False)
    response = _plan(client, people, accepted_case, plan_post(
        ("Rail", "owner", today.isoformat(), "It is urgent."), ("Bolts", "owner", in_days(3))))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"measures-0-deadline"}  # a reason no help
    page = response.content.decode()
    assert "already passed" in page and 'value="Bolts"' in page  # the typed data kept
    time_machine.move_to(datetime.combine(today, datetime.min.time(), OSLO)
                         + timedelta(hours=15, minutes=59), tick=False)
    response = _plan(client, people, accepted_case,
                     plan_post(("Rail", "owner", today.isoformat())))
    assert response.status_code == 302


def test_a_past_deadline_is_refused_in_norwegian_too(client, accepted_case, people):
    client.cookies.load({"django_language": "nb"})
    response = _plan(client, people, accepted_case, plan_post(("Rail", "owner", in_days(-1))))
    assert response.status_code == 200
    assert "allerede gått ut" in response.content.decode()


# -- the leader hands a late action on -------------------------------------------------


@pytest.fixture
def late_action(client, accepted_case, people, time_machine):
    time_machine.move_to(datetime.now(UTC), tick=False)
    work(client, people["coordinator"], accepted_case, "plan_measures",
         plan_post(("Rail", "owner", in_days(2))))
    rail = ready(accepted_case, "carry_out_measure")
    time_machine.move_to(rail.due_at + timedelta(days=1, minutes=1), tick=False)
    services.case_wake(case_id=accepted_case.pk)
    return rail


def _reassign(client, user, task, username):
    client.force_login(user)
    client.post(reverse("cases:task_reassign", args=[task.pk]),
                {"reassign-username": username})
    task.refresh_from_db()
    return task.assignee.get_username() if task.assignee else None


def test_the_leader_hands_a_late_action_to_a_member_of_a_unit_below(
    client, late_action, people, units
):
    from org.models import Unit

    department = Unit.objects.create(code="ivt-kt", name="Konstruksjonsteknikk",
                                     parent=units["ivt"])
    make_user("department_member", units=[department])
    assert _reassign(client, people["leader"], late_action, "department_member") == \
        "department_member"
    client.force_login(people["owner"])  # the former owner: no longer theirs
    assert client.get(reverse("cases:task", args=[late_action.pk])).status_code == 404


def test_the_leader_cannot_hand_an_action_to_the_reporter_or_a_stranger(
    client, late_action, people, units
):
    make_user("stranger", units=[units["nv"]])
    # The reporter is a member of the unit, but a party to the case.
    assert _reassign(client, people["leader"], late_action, "reporter") == "owner"
    assert _reassign(client, people["leader"], late_action, "stranger") == "owner"
    # The other unit's leader may not reassign here at all.
    assert _reassign(client, people["nv_leader"], late_action, "other_reporter") == "owner"


def test_a_triage_is_still_only_for_coordinators(client, definitions, people, report_data):
    """Only a task whose performer the process names goes to any member."""
    case = submit_report(client, people["reporter"], report_data)
    triage = ready(case, "triage")
    assert _reassign(client, people["leader"], triage, "other_reporter") is None
    assert _reassign(client, people["leader"], triage, "coordinator2") == "coordinator2"


# -- the queue's filters ---------------------------------------------------------------


def test_a_coordinators_queue_filters_still_filter(client, accepted_case, people):
    client.force_login(people["coordinator"])
    for severity, shown in (("serious", True), ("critical", False)):
        page = client.get(reverse("cases:queue"), {"severity": severity}).content.decode()
        assert (accepted_case.reference in page) is shown, severity


def test_an_owner_who_handles_other_cases_sees_only_those_by_severity(
    client, definitions, people, report_data, units
):
    """A coordinator of nv owns an action on an ivt case: a severity filter
    lists their own unit's matching work, never the ivt action."""
    ivt_case = submit_report(client, people["reporter"], report_data)
    work(client, people["coordinator"], ivt_case, "triage",
         {"triage_decision": "accept", "severity": "serious"})
    work(client, people["coordinator"], ivt_case, "plan_measures", plan_post(
        ("Rail", "nv_coordinator", in_days(5), "The rail is NV's equipment.")))
    client.force_login(people["nv_coordinator"])
    for severity in ("serious", "critical", "less_serious"):
        page = client.get(reverse("cases:queue"), {"severity": severity}).content.decode()
        assert "Rail" not in page, severity
    for category in ("building", "fire"):
        page = client.get(reverse("cases:queue"), {"category": category}).content.decode()
        assert "Rail" not in page, category
    assert "Rail" in client.get(reverse("cases:queue")).content.decode()


def test_an_owners_filtered_queue_has_a_flat_query_count(
    client, definitions, people, report_data
):
    def filtered_queue_queries() -> int:
        client.force_login(people["owner"])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("cases:queue"),
                              {"severity": "serious", "category": "building"}).status_code == 200
        return len(queries)

    def one_more_action(title):
        case = submit_report(client, people["reporter"], report_data)
        work(client, people["coordinator"], case, "triage",
             {"triage_decision": "accept", "severity": "serious"})
        work(client, people["coordinator"], case, "plan_measures",
             plan_post((title, "owner", in_days(5))))

    one_more_action("First")
    few = filtered_queue_queries()
    for title in ("Second", "Third", "Fourth"):
        one_more_action(title)
    assert filtered_queue_queries() == few
