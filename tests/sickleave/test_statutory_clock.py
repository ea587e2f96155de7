"""What an independent check of the statutory clock found (issue 28), each
finding driven through the real services and engine with time moved, one
second before and after the timer that matters:

1. the plan is due at the doctor by the four-week mark at the latest, a late
   plan is overdue there at once, and the rules page says so;
2. an escalation belongs to one deadline occurrence: a dialogue meeting 1
   moved by a change to full absence, and every round of "plan to NAV before
   dialogue meeting 3", reach HR once each, and HR's overview shows the date
   of the deadline that was missed;
3. NAV's request for the plan starts a task due on the date NAV gave.
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from cases import services as case_services
from notifications.models import Kind, Notification
from sickleave import selectors, services
from sickleave.models import Escalation
from tests.sickleave.conftest import PLAN, open_bpmn_ids, open_task, oslo

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
SECOND = timedelta(seconds=1)


def register(sick, *, first_day=date(2026, 3, 2), grade=100):
    return services.absence_register(actor=sick.leader, employee=sick.employee, unit=sick.ivt,
                                     first_day=first_day, grade=grade)


def complete(actor, case, bpmn_id, data):
    return case_services.task_complete(actor=actor, task_id=open_task(case, bpmn_id).pk,
                                       data=data)


def hr_overdue_notes(sick) -> int:
    return Notification.objects.filter(user=sick.hr, kind=Kind.OVERDUE).count()


# -- 1. the plan at the doctor -------------------------------------------------

def test_plan_saved_on_its_deadline_day_is_due_at_the_doctor_that_day(sick, frozen):
    """First day Monday 2 March: the plan and the dispatch to the doctor are
    both due on Monday 30 March at 16:00, not two working days later."""
    frozen(oslo(2026, 3, 2, 9))
    followup = register(sick)
    case = followup.case
    four_weeks = oslo(2026, 3, 30, 16, 0)
    assert followup.doctor_due == four_weeks

    frozen(oslo(2026, 3, 30, 10))
    services.plan_version_create(actor=sick.leader, followup=followup, data=PLAN)
    assert open_task(case, "send_plan_to_doctor").due_at == four_weeks
    followup.refresh_from_db()
    assert followup.doctor_due == four_weeks

    frozen(four_weeks - SECOND)
    case_services.cases_wake_due()
    assert not Escalation.objects.filter(followup=followup).exists()
    assert open_task(case, "send_plan_to_doctor").escalated_at is None

    frozen(four_weeks + SECOND)
    case_services.cases_wake_due()
    escalation = Escalation.objects.get(followup=followup)
    assert (escalation.deadline, escalation.due_at) == ("plan_to_doctor", four_weeks)
    assert open_task(case, "send_plan_to_doctor").escalated_at is not None
    assert hr_overdue_notes(sick) == 1


def test_plan_made_after_four_weeks_is_overdue_at_the_doctor_at_once(sick, frozen):
    """A late plan: the step to send it is overdue as soon as it appears, and
    HR hears of both missed deadlines (the plan, then the doctor) once each."""
    frozen(oslo(2026, 3, 2, 9))
    followup = register(sick)
    case = followup.case
    frozen(oslo(2026, 4, 2, 9))
    case_services.cases_wake_due()
    assert hr_overdue_notes(sick) == 1  # the plan itself

    services.plan_version_create(actor=sick.leader, followup=followup, data=PLAN)
    task = open_task(case, "send_plan_to_doctor")
    assert task.due_at == oslo(2026, 3, 30, 16, 0)
    assert task.escalated_at is not None
    assert set(Escalation.objects.filter(followup=followup).values_list("deadline", flat=True)) \
        == {"plan", "plan_to_doctor"}
    assert hr_overdue_notes(sick) == 2
    rows = {r.key: r for r in selectors.deadline_rows(followup)}
    assert rows["plan_to_doctor"].state == "overdue"
    assert rows["plan_to_doctor"].days_overdue == 3

    frozen(oslo(2026, 4, 3, 9))
    case_services.cases_wake_due()
    assert hr_overdue_notes(sick) == 2


def test_rules_page_states_the_four_week_limit_for_the_doctor(client, sick, frozen):
    """No two-working-day rule under a § 4-6 (3) citation; the 18 December
    2025 date is NAV's circular, not the act."""
    frozen(oslo(2026, 3, 2, 9))
    client.force_login(sick.hr)
    page = client.get(reverse("sickleave:statistics"), **EN).content.decode()
    start = page.index("Plan sent to the doctor</th>")
    row = page[start:page.index("</tr>", start)]
    assert '<td class="numeric">28</td>' in row
    assert "at the latest after four weeks" in row
    assert "working day" not in page
    assert "circular R08-00" in page and "(the circular, not the act)" in page
    assert "reworked 18 Dec 2025" not in page


# -- 2. one escalation per deadline occurrence ---------------------------------

def test_meeting_1_moved_by_full_absence_is_escalated_again_at_its_new_deadline(sick, frozen):
    """Partial absence: the decision on meeting 1 is missed at seven weeks
    (20 April) and escalated. The absence turns full on 27 April: the now
    mandatory meeting is due 11 May, and missing that reaches HR once more,
    at 11 May 16:00, once; HR's overview shows that escalation."""
    frozen(oslo(2026, 3, 2, 9))
    followup = register(sick, grade=50)
    case = followup.case
    services.plan_version_create(actor=sick.leader, followup=followup, data=PLAN)
    complete(sick.leader, case, "send_plan_to_doctor",
             {"sent_on": "2026-03-02", "method": "health_network"})

    frozen(oslo(2026, 4, 20, 16, 0, 1))
    case_services.cases_wake_due()
    complete(sick.leader, case, "record_activity", {"activity_status": "in_activity"})
    first = Escalation.objects.get(followup=followup, deadline="dm1")
    assert first.due_at == oslo(2026, 4, 20, 16, 0)
    assert hr_overdue_notes(sick) == 1

    frozen(oslo(2026, 4, 27, 9))
    services.absence_grade_change(actor=sick.leader, followup=followup, grade=100,
                                  changed_on=date(2026, 4, 27))
    new_deadline = oslo(2026, 5, 11, 16, 0)
    assert open_task(case, "invite_dm1").due_at == new_deadline
    assert open_task(case, "invite_dm1").escalated_at is None

    frozen(new_deadline - SECOND)
    case_services.cases_wake_due()
    assert hr_overdue_notes(sick) == 1
    assert [u.items for u in selectors.hr_overdue(user=sick.hr)] == [[]]

    frozen(new_deadline + SECOND)
    case_services.cases_wake_due()
    assert hr_overdue_notes(sick) == 2
    second = Escalation.objects.get(followup=followup, deadline="dm1", due_at=new_deadline)
    assert open_task(case, "invite_dm1").escalated_at is not None

    frozen(oslo(2026, 5, 13, 9))
    case_services.cases_wake_due()
    assert hr_overdue_notes(sick) == 2
    assert Escalation.objects.filter(followup=followup, deadline="dm1").count() == 2
    [unit] = selectors.hr_overdue(user=sick.hr)
    [item] = unit.items
    assert item.row.key == "dm1" and item.row.due == new_deadline
    assert item.row.days_overdue == 2
    assert item.escalated_at == second.escalated_at != first.escalated_at


def _dm3_round(sick, followup, *, meeting_on: date):
    """A party asks for meeting 3; NAV calls it for ``meeting_on``."""
    services.dm3_request(actor=sick.leader, followup=followup)
    case = followup.case
    complete(sick.leader, case, "nav_invitation_3",
             {"nav_decision": "invited", "meeting_on": meeting_on.isoformat()})


def test_every_round_of_meeting_3_escalates_its_missed_plan_to_nav(sick, frozen):
    """The plan is due at NAV a week before each dialogue meeting 3; a missed
    second round reaches HR like the first, and the page shows the second
    round's deadline as overdue even though the first round's plan was sent."""
    frozen(oslo(2026, 3, 2, 9))
    followup = register(sick)
    case = followup.case
    services.plan_version_create(actor=sick.leader, followup=followup, data=PLAN)
    complete(sick.leader, case, "send_plan_to_doctor",
             {"sent_on": "2026-03-02", "method": "health_network"})
    complete(sick.leader, case, "invite_dm1", {
        "dm1_plan": "obviously_unnecessary", "dm1_unnecessary_reason": "serious_illness"})

    frozen(oslo(2026, 3, 3, 9))
    _dm3_round(sick, followup, meeting_on=date(2026, 3, 20))
    first_due = oslo(2026, 3, 13, 16, 0)
    assert open_task(case, "send_plan_to_nav_3").due_at == first_due
    frozen(first_due - SECOND)
    case_services.cases_wake_due()
    assert hr_overdue_notes(sick) == 0
    frozen(first_due + SECOND)
    case_services.cases_wake_due()
    assert hr_overdue_notes(sick) == 1
    complete(sick.leader, case, "send_plan_to_nav_3",
             {"sent_on": "2026-03-14", "method": "nav_digital"})
    frozen(oslo(2026, 3, 20, 15))
    complete(sick.leader, case, "record_dm3", {"held_on": "2026-03-20"})

    frozen(oslo(2026, 3, 23, 9))
    _dm3_round(sick, followup, meeting_on=date(2026, 4, 10))
    second_due = oslo(2026, 4, 3, 16, 0)
    assert open_task(case, "send_plan_to_nav_3").due_at == second_due
    rows = {r.key: r for r in selectors.deadline_rows(followup)}
    assert rows["plan_to_nav_3"].due == second_due
    assert rows["plan_to_nav_3"].state == "upcoming"

    frozen(second_due - SECOND)
    case_services.cases_wake_due()
    assert hr_overdue_notes(sick) == 1
    frozen(second_due + SECOND)
    case_services.cases_wake_due()
    assert hr_overdue_notes(sick) == 2
    assert list(Escalation.objects.filter(followup=followup, deadline="plan_to_nav_3")
                .values_list("due_at", flat=True)) == [first_due, second_due]
    assert open_task(case, "send_plan_to_nav_3").escalated_at is not None

    frozen(oslo(2026, 4, 6, 9))
    case_services.cases_wake_due()
    assert hr_overdue_notes(sick) == 2
    [unit] = selectors.hr_overdue(user=sick.hr)
    [item] = unit.items
    assert item.row.key == "plan_to_nav_3" and item.row.due == second_due
    assert item.escalated_at == Escalation.objects.get(due_at=second_due).escalated_at


# -- 3. NAV asks for the plan --------------------------------------------------

def _quiet_case(sick):
    """A full absence from 2 March 2026 whose plan is made and sent and whose
    meeting 1 is settled, so that only NAV's request can fall due."""
    followup = register(sick)
    case = followup.case
    services.plan_version_create(actor=sick.leader, followup=followup, data=PLAN)
    complete(sick.leader, case, "send_plan_to_doctor",
             {"sent_on": "2026-03-02", "method": "health_network"})
    complete(sick.leader, case, "invite_dm1", {
        "dm1_plan": "obviously_unnecessary", "dm1_unnecessary_reason": "serious_illness"})
    return followup


def test_nav_request_starts_a_task_due_on_navs_date(sick, frozen):
    """HR records on 10 March that NAV asked on 9 March for the plan by
    20 March: the leader's step is due 20 March at 16:00 and escalates to HR
    one second after, once. Sending the plan answers the request, and NAV
    can ask again."""
    frozen(oslo(2026, 3, 2, 9))
    followup = _quiet_case(sick)
    case = followup.case
    frozen(oslo(2026, 3, 10, 9))
    request = services.nav_plan_request_record(
        actor=sick.hr, followup=followup, requested_on=date(2026, 3, 9),
        due_on=date(2026, 3, 20))
    navs_date = oslo(2026, 3, 20, 16, 0)
    assert request.due_at == navs_date and request.recorded_by == sick.hr
    task = open_task(case, "send_plan_to_nav_requested")
    assert task.due_at == navs_date
    assert task.title == "Send the plan to NAV (NAV's request)"
    rows = {r.key: r for r in selectors.deadline_rows(followup)}
    row = rows[f"plan_to_nav_request_{request.pk}"]
    assert (row.due, row.state) == (navs_date, "upcoming")

    frozen(navs_date - SECOND)
    case_services.cases_wake_due()
    assert not Escalation.objects.filter(followup=followup).exists()
    frozen(navs_date + SECOND)
    case_services.cases_wake_due()
    escalation = Escalation.objects.get(followup=followup)
    assert (escalation.deadline, escalation.due_at) == ("plan_to_nav_request", navs_date)
    assert hr_overdue_notes(sick) == 1
    [unit] = selectors.hr_overdue(user=sick.hr)
    [item] = unit.items
    assert item.row.due == navs_date and item.escalated_at == escalation.escalated_at

    frozen(oslo(2026, 3, 23, 9))
    case_services.cases_wake_due()
    assert hr_overdue_notes(sick) == 1
    complete(sick.leader, case, "send_plan_to_nav_requested",
             {"sent_on": "2026-03-23", "method": "nav_digital"})
    request.refresh_from_db()
    assert request.dispatch.recipient == "nav"
    assert request.dispatch.version.number == 1
    assert "send_plan_to_nav_requested" not in open_bpmn_ids(case)
    rows = {r.key: r for r in selectors.deadline_rows(followup)}
    row = rows[f"plan_to_nav_request_{request.pk}"]
    assert (row.state, row.done_on, row.on_time) == ("done", date(2026, 3, 23), False)

    again = services.nav_plan_request_record(
        actor=sick.leader, followup=followup, requested_on=date(2026, 3, 23),
        due_on=date(2026, 3, 30))
    assert open_task(case, "send_plan_to_nav_requested").due_at == oslo(2026, 3, 30, 16, 0)
    assert again.pk != request.pk


def test_nav_request_checks(sick, frozen):
    from cases.exceptions import NotAllowed
    from sickleave.services.nav_requests import InvalidNavRequest

    frozen(oslo(2026, 3, 2, 9))
    followup = _quiet_case(sick)
    frozen(oslo(2026, 3, 10, 9))
    for actor in (sick.employee, sick.nv_hr, sick.bht, sick.colleague):
        with pytest.raises(NotAllowed):
            services.nav_plan_request_record(actor=actor, followup=followup,
                                             requested_on=date(2026, 3, 9),
                                             due_on=date(2026, 3, 20))
    with pytest.raises(InvalidNavRequest):  # deadline before the request
        services.nav_plan_request_record(actor=sick.leader, followup=followup,
                                         requested_on=date(2026, 3, 9),
                                         due_on=date(2026, 3, 8))
    with pytest.raises(InvalidNavRequest):  # asked in the future
        services.nav_plan_request_record(actor=sick.leader, followup=followup,
                                         requested_on=date(2026, 3, 11),
                                         due_on=date(2026, 3, 20))
    services.nav_plan_request_record(actor=sick.leader, followup=followup,
                                     requested_on=date(2026, 3, 9), due_on=date(2026, 3, 20))
    with pytest.raises(InvalidNavRequest):  # the first one is still open
        services.nav_plan_request_record(actor=sick.hr, followup=followup,
                                         requested_on=date(2026, 3, 10),
                                         due_on=date(2026, 3, 25))
    assert followup.nav_requests.count() == 1


def test_nav_request_open_at_a_return_comes_back_with_a_new_absence(sick, frozen):
    """The return to work cancels the step; a new absence that continues the
    case asks for the plan again by NAV's date, now overdue at once."""
    frozen(oslo(2026, 3, 2, 9))
    followup = _quiet_case(sick)
    frozen(oslo(2026, 3, 10, 9))
    services.nav_plan_request_record(actor=sick.leader, followup=followup,
                                     requested_on=date(2026, 3, 10), due_on=date(2026, 3, 13))
    frozen(oslo(2026, 3, 11, 9))
    services.absence_return_to_work(actor=sick.leader, followup=followup,
                                    returned_on=date(2026, 3, 11))
    assert "send_plan_to_nav_requested" not in open_bpmn_ids(followup.case)
    frozen(oslo(2026, 3, 16, 9))
    services.absence_register(actor=sick.leader, employee=sick.employee, unit=sick.ivt,
                              first_day=date(2026, 3, 16), grade=100)
    task = open_task(followup.case, "send_plan_to_nav_requested")
    assert task.due_at == oslo(2026, 3, 13, 16, 0)
    assert task.escalated_at is not None
    assert Escalation.objects.filter(followup=followup, deadline="plan_to_nav_request").count() == 1


def test_nav_request_over_http_on_the_leaders_and_the_employees_pages(client, sick, frozen):
    """The leader records NAV's request on its page (a bad date is refused
    next to the field, the typed dates kept), sees the new step with NAV's
    deadline and completes it on the task page; the employee sees the
    deadline on their page, first pending and then done, and cannot record
    a request."""
    frozen(oslo(2026, 3, 2, 9))
    followup = register(sick)
    ref = followup.case.reference
    url = reverse("sickleave:nav_request", args=[ref])
    detail = reverse("sickleave:detail", args=[ref])
    frozen(oslo(2026, 3, 10, 9))

    client.force_login(sick.leader)
    assert url in client.get(detail, **EN).content.decode()
    page = client.get(url, **EN).content.decode()
    assert "NAV asked for the plan" in page and 'value="2026-03-10"' in page
    response = client.post(url, {"requested_on": "2026-03-09", "due_on": "2026-03-08"}, **EN)
    page = response.content.decode()
    assert response.status_code == 200
    assert "NAV&#x27;s deadline cannot be before the day NAV asked." in page
    # Next to the field (the error summary above the form repeats it).
    error_at = page.index("NAV&#x27;s deadline cannot be before",
                          page.index('id="id_due_on_error"'))
    assert page.rindex('name="due_on"', 0, error_at) > page.rindex('name="requested_on"', 0,
                                                                     error_at)
    assert 'value="2026-03-09"' in page and 'value="2026-03-08"' in page
    assert not followup.nav_requests.exists()
    response = client.post(url, {"requested_on": "2026-03-09", "due_on": "2026-03-20"}, **EN)
    assert response.status_code == 302 and response["Location"] == detail

    due = 'datetime="2026-03-20T16:00:00+01:00"'
    page = client.get(detail, **EN).content.decode()
    task = open_task(followup.case, "send_plan_to_nav_requested")
    assert reverse("cases:task", args=[task.pk]) in page
    assert "Send the plan to NAV (NAV&#x27;s request)" in page and due in page

    client.force_login(sick.employee)
    page = client.get(detail, **EN).content.decode()
    start = page.index("Plan sent to NAV (NAV asked on")
    row = page[start:page.index("</tr>", start)]
    assert due in row and "Upcoming" in row
    assert "Steps waiting for you" not in page and url not in page
    assert client.get(url).status_code == 404
    assert client.post(url, {"requested_on": "2026-03-09", "due_on": "2026-03-27"}).status_code \
        == 404
    client.force_login(sick.nv_hr)
    assert client.get(url).status_code == 404
    client.force_login(sick.hr)
    assert client.get(url).status_code == 200

    client.force_login(sick.leader)
    task_url = reverse("cases:task", args=[task.pk])
    assert "NAV has asked for the follow-up plan" in client.get(task_url, **EN).content.decode()
    # No plan yet (NAV asked in week 2): the step is refused until there is one.
    response = client.post(task_url, {"sent_on": "2026-03-10", "method": "nav_digital"}, **EN)
    assert response.status_code == 200
    assert "There is no follow-up plan yet" in response.content.decode()
    services.plan_version_create(actor=sick.leader, followup=followup, data=PLAN)
    response = client.post(task_url, {"sent_on": "2026-03-10", "method": "nav_digital"})
    assert response.status_code == 302

    client.force_login(sick.employee)
    page = client.get(detail, **EN).content.decode()
    start = page.index("Plan sent to NAV (NAV asked on")
    row = page[start:page.index("</tr>", start)]
    assert "Done" in row and 'datetime="2026-03-10"' in row and "late" not in row
    assert followup.nav_requests.get().dispatch.method == "nav_digital"


def test_meeting_1_already_decided_on_keeps_its_deadline_when_absence_turns_full(sick, frozen):
    """Partial absence, meeting 1 decided on but missed at seven weeks: the
    change to full absence afterwards gives no new date, so the page and HR's
    overview show the deadline the process escalated."""
    frozen(oslo(2026, 3, 2, 9))
    followup = register(sick, grade=50)
    case = followup.case
    complete(sick.leader, case, "decide_dm1", {"dm1_decision": "hold"})
    seven_weeks = oslo(2026, 4, 20, 16, 0)
    frozen(seven_weeks + SECOND)
    case_services.cases_wake_due()
    escalation = Escalation.objects.get(followup=followup, deadline="dm1")
    frozen(oslo(2026, 4, 27, 9))
    services.absence_grade_change(actor=sick.leader, followup=followup, grade=100,
                                  changed_on=date(2026, 4, 27))
    followup.refresh_from_db()
    assert followup.dm1_due == seven_weeks == open_task(case, "invite_dm1").due_at
    [unit] = selectors.hr_overdue(user=sick.hr)
    item = next(i for i in unit.items if i.row.key == "dm1")
    assert item.row.due == seven_weeks and item.escalated_at == escalation.escalated_at


def test_overviews_query_count_does_not_grow_with_nav_requests(client, sick, frozen):
    """NAV's requests are prefetched: HR's overview and the leader's
    dashboard cost as many queries for three follow-ups as for one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import make_user

    frozen(oslo(2026, 3, 2, 9))
    employees = [sick.employee] + [make_user(f"emp{n}", units=[sick.ivt]) for n in range(2)]
    followups = [services.absence_register(actor=sick.leader, employee=e, unit=sick.ivt,
                                           first_day=date(2026, 3, 2), grade=100)
                 for e in employees]
    frozen(oslo(2026, 3, 10, 9))
    for followup in followups:
        services.nav_plan_request_record(actor=sick.hr, followup=followup,
                                         requested_on=date(2026, 3, 9),
                                         due_on=date(2026, 3, 11))
    frozen(oslo(2026, 3, 12, 9))
    case_services.cases_wake_due()

    def queries(user, name):
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse(name), **EN).content.decode()
        return len(captured), page

    many_hr, page = queries(sick.hr, "sickleave:hr")
    assert page.count("Plan sent to NAV (NAV asked on") == 3
    many_leader, _page = queries(sick.leader, "sickleave:leader")
    for followup in followups[1:]:
        services.followup_close(actor=sick.leader, followup=followup, reason="test")
    one_hr, page = queries(sick.hr, "sickleave:hr")
    assert page.count("Plan sent to NAV (NAV asked on") == 1
    one_leader, _page = queries(sick.leader, "sickleave:leader")
    assert (many_hr, many_leader) == (one_hr, one_leader)
