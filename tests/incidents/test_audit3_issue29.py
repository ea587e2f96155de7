"""Third independent audit of issue 29 (branch reaudit29): the fix29 fixes and
their side effects, driven through the real engine and the views as each
role does, with time moved. Defects are strict xfails."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cases import services
from cases.models import Case, Task
from notifications.models import Kind, Notification, OutgoingEmail
from tests.conftest import make_user
from tests.incidents.conftest import in_days, plan_post, ready, submit_report, work
from tests.web.conftest import report_post

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")


def _anonymous(client, report_data, **extra) -> Case:
    client.logout()
    assert client.post(reverse("incidents:report"),
                       report_post({**report_data, **extra})).status_code == 302
    return Case.objects.latest("pk")


# -- an anonymous critical report's deadline ------------------------------------------


@pytest.mark.parametrize("arrival", [
    datetime(2027, 3, 28, 1, 30, tzinfo=OSLO),            # before the spring change
    datetime(2027, 3, 28, 3, 30, tzinfo=OSLO),            # just after it
    datetime(2027, 3, 28, 23, 59, tzinfo=OSLO),           # 23-hour day, near midnight
    datetime(2026, 10, 25, 2, 30, tzinfo=OSLO),           # first 02:30 (summer time)
    datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=OSLO),   # second 02:30 (winter time)
    datetime(2026, 10, 25, 23, 30, tzinfo=OSLO),          # 25-hour day, near midnight
    datetime(2026, 12, 2, 23, 59, 59, tzinfo=OSLO),
    datetime(2026, 12, 3, 0, 0, 1, tzinfo=OSLO),
    datetime(2026, 12, 2, 16, 30, tzinfo=OSLO),           # after 16:00
], ids=str)
def test_an_anonymous_critical_deadline_is_within_four_hours_of_arrival(
    client, definitions, people, report_data, time_machine, arrival
):
    time_machine.move_to(arrival, tick=False)
    case = _anonymous(client, report_data, severity_suggested="critical",
                      event_date=arrival.date().isoformat())
    due = ready(case, "triage").due_at
    assert timedelta(0) < due - arrival <= timedelta(hours=4)  # elapsed time, not wall
    local = due.astimezone(OSLO)
    assert (local.minute, local.second, local.microsecond) == (0, 0, 0)


@pytest.mark.parametrize("arrival", [
    datetime(2027, 3, 28, 0, 30, tzinfo=OSLO),
    datetime(2026, 10, 25, 0, 30, tzinfo=OSLO),
    datetime(2026, 12, 2, 22, 15, tzinfo=OSLO),
], ids=str)
def test_a_named_critical_report_is_due_four_elapsed_hours_after_arrival(
    client, definitions, people, report_data, time_machine, arrival
):
    time_machine.move_to(arrival, tick=False)
    case = submit_report(client, people["reporter"], {
        **report_data, "severity_suggested": "critical",
        "event_date": arrival.date().isoformat()})
    assert ready(case, "triage").due_at - arrival == timedelta(hours=4)  # elapsed


def test_a_critical_triages_hour_is_shown_to_the_coordinators(
    client, definitions, people, report_data, time_machine, run_worker
):
    arrival = datetime(2026, 12, 2, 22, 15, tzinfo=OSLO)
    time_machine.move_to(arrival, tick=False)
    case = submit_report(client, people["reporter"], {
        **report_data, "severity_suggested": "critical", "event_date": "2026-12-02"})
    run_worker()
    client.force_login(people["coordinator"])
    for url in (reverse("cases:queue"), reverse("cases:task", args=[ready(case, "triage").pk]),
                reverse("cases:detail", args=[case.reference])):
        html = re.sub(r'datetime="[^"]*"', "", client.get(url).content.decode())
        assert "02:15" in html, url


def test_an_anonymous_critical_report_near_midnight_escalates_to_the_leader(
    client, definitions, people, report_data, time_machine, run_worker
):
    time_machine.move_to(datetime(2026, 12, 2, 23, 50, tzinfo=OSLO), tick=False)
    case = _anonymous(client, report_data, severity_suggested="critical")
    triage = ready(case, "triage")
    assert triage.due_at == datetime(2026, 12, 3, 0, 0, tzinfo=OSLO)
    time_machine.move_to(datetime(2026, 12, 3, 0, 0, 30, tzinfo=OSLO), tick=False)
    services.case_wake(case_id=case.pk)
    run_worker()
    triage.refresh_from_db()
    assert triage.escalated_at is not None
    assert Notification.objects.filter(case=case, kind=Kind.OVERDUE,
                                       user=people["leader"]).exists()


def test_a_transferred_critical_report_is_still_due_within_hours(
    client, definitions, people, report_data, time_machine
):
    arrival = datetime(2026, 12, 4, 10, 0, tzinfo=OSLO)  # a Friday
    time_machine.move_to(arrival, tick=False)
    case = submit_report(client, people["reporter"], {**report_data,
                                                      "severity_suggested": "critical"})
    time_machine.move_to(arrival + timedelta(minutes=30), tick=False)
    work(client, people["coordinator"], case, "triage",
         {"triage_decision": "transfer", "transfer_to": "nv"})
    assert ready(case, "triage").due_at <= arrival + timedelta(hours=4, minutes=30)


def test_a_critical_report_transferred_after_its_deadline_gets_four_hours_from_the_transfer(
    client, definitions, people, report_data, time_machine
):
    arrival = datetime(2026, 12, 4, 10, 0, tzinfo=OSLO)
    time_machine.move_to(arrival, tick=False)
    case = submit_report(client, people["reporter"], {**report_data,
                                                      "severity_suggested": "critical"})
    transfer = arrival + timedelta(hours=3, minutes=30)  # half an hour left: too near
    time_machine.move_to(transfer, tick=False)
    work(client, people["coordinator"], case, "triage",
         {"triage_decision": "transfer", "transfer_to": "nv"})
    assert ready(case, "triage").due_at - transfer == timedelta(hours=4)


def test_a_transferred_report_that_is_not_critical_gets_two_working_days(
    client, definitions, people, report_data, time_machine
):
    time_machine.move_to(datetime(2026, 12, 4, 10, 0, tzinfo=OSLO), tick=False)  # a Friday
    case = submit_report(client, people["reporter"], report_data)
    work(client, people["coordinator"], case, "triage",
         {"triage_decision": "transfer", "transfer_to": "nv"})
    assert ready(case, "triage").due_at == datetime(2026, 12, 8, 16, 0, tzinfo=OSLO)


def test_an_anonymous_reference_is_drawn_and_leaves_no_gap_in_the_named_ones(
    client, definitions, people, report_data, time_machine
):
    time_machine.move_to(datetime(2026, 12, 2, 10, 0, tzinfo=OSLO), tick=False)
    first = submit_report(client, people["reporter"], report_data)
    anonymous = _anonymous(client, report_data)
    second = submit_report(client, people["other_reporter"], report_data)
    assert re.fullmatch(r"HMS-2026-\d{6}", anonymous.reference), anonymous.reference
    assert int(anonymous.reference.rsplit("-", 1)[1]) >= 100_000
    first_n, second_n = (int(c.reference.rsplit("-", 1)[1]) for c in (first, second))
    assert second_n == first_n + 1  # the counter did not move for the anonymous report
    client.logout()  # its receipt shows the drawn reference
    page = client.get(reverse("incidents:receipt"), {"ref": anonymous.reference})
    assert anonymous.reference in page.content.decode()


# -- an anonymous report keeps only its date ------------------------------------------


def test_the_outgoing_email_of_an_anonymous_report_keeps_no_time_of_day(
    client, definitions, people, report_data, time_machine, run_worker
):
    people["coordinator"].email = "koord@example.org"
    people["coordinator"].save()
    time_machine.move_to(datetime(2026, 12, 2, 13, 37, 11, tzinfo=OSLO), tick=False)
    case = _anonymous(client, report_data)
    run_worker()
    emails = [e for e in OutgoingEmail.objects.all() if case.reference in e.subject + e.body]
    assert emails
    for email in emails:
        for moment in (email.created_at, email.sent_at):
            if moment is not None:
                assert moment.astimezone(OSLO).strftime("%H:%M") == "00:00", moment


@pytest.mark.xfail(strict=True, reason=(
    "DEFECT (remaining part): an anonymous report's reference is now drawn at random, but "
    "its tasks' ids (in task URLs) still count up in arrival order with the named reports', "
    "whose times handlers see: its time of day is bracketed by its neighbours' "
    "(10:02 < anonymous < 14:01 here)"))
def test_an_anonymous_reports_time_cannot_be_read_from_its_neighbours(
    client, definitions, people, report_data, time_machine
):
    day = datetime(2026, 12, 2, tzinfo=OSLO)
    time_machine.move_to(day.replace(hour=10, minute=2), tick=False)
    before = submit_report(client, people["reporter"], report_data)
    time_machine.move_to(day.replace(hour=13, minute=37), tick=False)
    anonymous = _anonymous(client, report_data)
    time_machine.move_to(day.replace(hour=14, minute=1), tick=False)
    after = submit_report(client, people["other_reporter"], report_data)
    client.force_login(people["coordinator"])
    for case, shown in ((before, "10:02"), (after, "14:01")):
        page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
        assert shown in page  # a named report keeps its time, for handlers to see

    def number(case):
        return int(case.reference.rsplit("-", 1)[1])

    assert not number(before) < number(anonymous) < number(after)
    assert not (ready(before, "triage").pk < ready(anonymous, "triage").pk
                < ready(after, "triage").pk)


# -- the overdue notice names the action ----------------------------------------------


def test_the_overdue_notice_links_the_late_action_of_two_with_one_title(
    client, accepted_case, people, time_machine, run_worker
):
    time_machine.move_to(datetime.now(OSLO), tick=False)
    case = accepted_case
    work(client, people["coordinator"], case, "plan_measures",
         plan_post(("Check", "owner", in_days(2)), ("Check", "other_reporter", in_days(9))))
    late = Task.objects.get(case=case, bpmn_id="carry_out_measure", assignee=people["owner"])
    time_machine.move_to(late.due_at + timedelta(minutes=1), tick=False)
    services.case_wake(case_id=case.pk)
    run_worker()
    told = Notification.objects.get(case=case, kind=Kind.OVERDUE, user=people["coordinator"])
    assert told.task_id == late.pk


# -- the queue's filters --------------------------------------------------------------


def test_an_owners_filters_reveal_nothing_and_a_coordinators_still_filter(
    client, accepted_case, people
):
    client.force_login(people["coordinator"])  # the planning task waits in their group
    for key, value, shown in (("category", "building", True), ("category", "fire", False),
                              ("unit", "ivt", True), ("unit", "nv", False),
                              ("severity", "serious", True), ("severity", "critical", False)):
        page = client.get(reverse("cases:queue"), {key: value}).content.decode()
        assert (accepted_case.reference in page) is shown, (key, value)
    work(client, people["coordinator"], accepted_case, "plan_measures",
         plan_post(("Rail", "owner", in_days(5))))
    client.force_login(people["owner"])
    assert "Rail" in client.get(reverse("cases:queue")).content.decode()
    seen = {}
    for key, values in (("severity", ("critical", "serious", "less_serious")),
                        ("category", ("building", "fire", "personal_injury"))):
        for value in values:
            page = client.get(reverse("cases:queue"), {key: value}).content.decode()
            seen[(key, value)] = "Rail" in page
    assert set(seen.values()) == {False}, seen


# -- the leader hands a late action on ------------------------------------------------


def test_a_coordinator_is_no_lead_and_cannot_hand_an_action_on(
    client, accepted_case, people, time_machine
):
    time_machine.move_to(datetime.now(OSLO), tick=False)
    work(client, people["coordinator"], accepted_case, "plan_measures",
         plan_post(("Rail", "owner", in_days(2))))
    rail = ready(accepted_case, "carry_out_measure")
    client.force_login(people["coordinator"])
    client.post(reverse("cases:task_reassign", args=[rail.pk]),
                {"reassign-username": "other_reporter"})
    rail.refresh_from_db()
    assert rail.assignee == people["owner"]


# -- the whole lifecycle --------------------------------------------------------------


def _kinds(case, user):
    return sorted(Notification.objects.filter(case=case, user=user)
                  .values_list("kind", flat=True))


@pytest.mark.parametrize("anonymous", [False, True], ids=["named", "anonymous"])
def test_the_whole_lifecycle_with_a_transfer_and_a_send_back(
    client, definitions, people, report_data, units, time_machine, run_worker, anonymous
):
    time_machine.move_to(datetime(2026, 12, 2, 13, 37, 11, tzinfo=OSLO), tick=False)
    nv_owner = make_user("nv_owner", units=[units["nv"]])
    nv_coordinator2 = make_user("nv_coordinator2", roles=["hse_coordinator"],
                                units=[units["nv"]])
    from incidents.roles import SAFETY_REPRESENTATIVE

    ivt_rep = make_user("ivt_rep", roles=[SAFETY_REPRESENTATIVE], units=[units["ivt"]])
    nv_rep = make_user("nv_rep", roles=[SAFETY_REPRESENTATIVE], units=[units["nv"]])
    if anonymous:
        case = _anonymous(client, report_data)
    else:
        case = submit_report(client, people["reporter"], report_data)
    run_worker()
    assert Notification.objects.filter(case=case, user=people["coordinator"],
                                       kind=Kind.TASK_WAITING).exists()
    time_machine.move_to(datetime(2026, 12, 2, 14, 5, tzinfo=OSLO), tick=False)
    work(client, people["coordinator"], case, "triage",
         {"triage_decision": "transfer", "transfer_to": "nv"})
    run_worker()
    assert case.unit == units["nv"]
    assert Kind.TASK_WAITING in _kinds(case, people["nv_coordinator"])
    work(client, people["nv_coordinator"], case, "triage",
         {"triage_decision": "accept", "severity": "serious", "severity_rationale": "Fall"})
    work(client, people["nv_coordinator"], case, "plan_measures",
         plan_post(("Rail", "nv_owner", in_days(5)), ("Sign", "nv_coordinator2", in_days(6))))
    run_worker()
    assert _kinds(case, nv_owner) == [Kind.TASK_ASSIGNED]
    # A serious near-accident: the new area's safety representative is told, not the old.
    assert _kinds(case, nv_rep) == [Kind.SAFETY_REPRESENTATIVE]
    assert _kinds(case, ivt_rep) == []
    work(client, nv_owner, case, "carry_out_measure", {"status": "done"})
    work(client, nv_coordinator2, case, "carry_out_measure", {"status": "done"})
    run_worker()
    # Four eyes: the planner may not close; the other coordinator is told.
    assert Kind.TASK_WAITING in _kinds(case, nv_coordinator2)
    work(client, nv_coordinator2, case, "verify_and_close",
         {"closure_decision": "reopen", "severity": "serious", "closure_comment": "More."})
    work(client, people["nv_coordinator"], case, "plan_measures",
         plan_post(("Rail again", "nv_owner", in_days(5))))
    work(client, nv_owner, case, "carry_out_measure", {"status": "done"})
    work(client, nv_coordinator2, case, "verify_and_close",
         {"closure_decision": "close", "severity": "serious", "closure_comment": "Fixed.",
          "lessons_learned": "Check rails."})
    run_worker()
    case.refresh_from_db()
    assert case.status == "completed", case.status
    assert not Task.objects.filter(case=case, state="ready").exists()
    # The first unit's coordinator is not told of the new unit's work.
    assert _kinds(case, people["coordinator"]) == [Kind.TASK_WAITING]
    status_notes = Notification.objects.filter(case=case, kind=Kind.STATUS_CHANGED)
    if anonymous:
        assert not status_notes.exists()
        client.force_login(people["nv_coordinator"])
        page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
        assert "13:37" not in page and "14:05" in page  # the arrival's time gone, work kept
    else:
        texts = list(status_notes.filter(user=people["reporter"]).order_by("pk")
                     .values_list("text", flat=True))
        assert len(texts) >= 4, texts  # transferred, accepted, sent back, closed
        client.force_login(people["nv_coordinator"])
        page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
        assert "13:37" in page
    # The owner keeps read-only access to their own action, not the case.
    client.force_login(nv_owner)
    assert client.get(reverse("cases:detail", args=[case.reference])).status_code == 404


def test_after_a_transfer_the_new_leader_hands_a_late_action_within_the_new_unit(
    client, definitions, people, report_data, units, time_machine, run_worker
):
    time_machine.move_to(datetime.now(OSLO), tick=False)
    nv_owner = make_user("nv_owner", units=[units["nv"]])
    make_user("nv_member", units=[units["nv"]])
    case = submit_report(client, people["reporter"], report_data)
    work(client, people["coordinator"], case, "triage",
         {"triage_decision": "transfer", "transfer_to": "nv"})
    work(client, people["nv_coordinator"], case, "triage",
         {"triage_decision": "accept", "severity": "serious"})
    work(client, people["nv_coordinator"], case, "plan_measures",
         plan_post(("Rail", "nv_owner", in_days(2))))
    run_worker()
    rail = ready(case, "carry_out_measure")
    time_machine.move_to(rail.due_at + timedelta(days=1, minutes=1), tick=False)
    services.case_wake(case_id=case.pk)
    run_worker()

    def hand(user, username):
        client.force_login(user)
        client.post(reverse("cases:task_reassign", args=[rail.pk]),
                    {"reassign-username": username})
        rail.refresh_from_db()
        return rail.assignee.get_username()

    assert hand(people["leader"], "owner") == "nv_owner"  # the first unit's leader: no
    assert hand(people["nv_leader"], "owner") == "nv_owner"  # an ivt member: no
    assert hand(people["nv_leader"], "reporter") == "nv_owner"  # a party: no
    assert hand(people["nv_leader"], "nv_member") == "nv_member"
    assert nv_owner.pk != rail.assignee_id
    run_worker()
    told = list(Notification.objects.filter(case=case, user__username="nv_member")
                .values_list("kind", "text"))
    assert [k for k, _ in told].count(Kind.TASK_ASSIGNED) == 1, told
    assert all("Rail" in text for _, text in told), told
    client.force_login(rail.assignee)  # the new owner: the task, not the case
    assert client.get(reverse("cases:task", args=[rail.pk])).status_code == 200
    assert client.get(reverse("cases:detail", args=[case.reference])).status_code == 404
