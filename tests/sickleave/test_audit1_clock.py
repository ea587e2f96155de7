"""Independent audit of issue 28 (statutory clock), driven through the real
services, engine and HTTP views with time moved one second before and after
each timer. Scenarios deliberately differ from test_statutory_clock.py:
first days on other weekdays, across the DST change, over HTTP."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from cases import services as case_services
from notifications.models import Kind, Notification
from sickleave import selectors, services
from sickleave.models import Escalation
from tests.sickleave.conftest import PLAN, open_task, oslo

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
NB = {"HTTP_ACCEPT_LANGUAGE": "nb"}
SECOND = timedelta(seconds=1)


def overdue_to_hr(sick) -> int:
    return Notification.objects.filter(user=sick.hr, kind=Kind.OVERDUE).count()


def complete(actor, case, bpmn_id, data):
    return case_services.task_complete(actor=actor, task_id=open_task(case, bpmn_id).pk,
                                       data=data)


# -- plan to the doctor --------------------------------------------------------

def test_early_plan_is_due_at_doctor_at_four_weeks_across_dst_over_http(client, sick, frozen):
    """First day Thursday 5 March 2026; the leader saves the plan over HTTP on
    day 10. Four weeks = Thursday 2 April, 16:00 summer time (after the DST
    change on 29 March). Not escalated one second before, escalated once one
    second after."""
    frozen(oslo(2026, 3, 5, 9))
    followup = services.absence_register(actor=sick.leader, employee=sick.employee,
                                         unit=sick.ivt, first_day=date(2026, 3, 5), grade=100)
    case = followup.case
    four_weeks = oslo(2026, 4, 2, 16, 0)
    assert four_weeks.utcoffset() == timedelta(hours=2)

    frozen(oslo(2026, 3, 15, 11))
    client.force_login(sick.leader)
    url = reverse("sickleave:plan_new", args=[case.reference])
    response = client.post(url, PLAN, **EN)
    assert response.status_code == 302, response.content.decode()[:2000]
    task = open_task(case, "send_plan_to_doctor")
    assert task.due_at == four_weeks

    frozen(four_weeks - SECOND)
    case_services.cases_wake_due()
    assert overdue_to_hr(sick) == 0
    assert open_task(case, "send_plan_to_doctor").escalated_at is None
    frozen(four_weeks + SECOND)
    case_services.cases_wake_due()
    assert overdue_to_hr(sick) == 1
    frozen(four_weeks + timedelta(days=3))
    case_services.cases_wake_due()
    assert overdue_to_hr(sick) == 1
    assert Escalation.objects.get(followup=followup).deadline == "plan_to_doctor"

    # The leader's page shows the doctor step as overdue with the four-week date.
    client.force_login(sick.leader)  # the session expired while time moved
    response = client.get(reverse("sickleave:detail", args=[case.reference]), **EN)
    page = response.content.decode()
    assert "Plan sent to the doctor" in page, (response.status_code, page[-3000:])
    table = page.index("<caption>Deadlines")
    start = page.index("Plan sent to the doctor", table)
    row = page[start:page.index("</tr>", start)]
    assert 'datetime="2026-04-02T16:00:00+02:00"' in row, row
    assert "overdue" in row.lower(), row


def test_late_plan_over_http_is_overdue_at_doctor_at_once(client, sick, frozen):
    """First day Wednesday 7 Jan 2026, plan due 4 Feb 16:00. The plan is saved
    on 4 Feb 16:00:01 (one second late): the doctor step is overdue at once
    and HR is told about plan and doctor exactly once each."""
    frozen(oslo(2026, 1, 7, 9))
    followup = services.absence_register(actor=sick.leader, employee=sick.employee,
                                         unit=sick.ivt, first_day=date(2026, 1, 7), grade=40)
    case = followup.case
    deadline = oslo(2026, 2, 4, 16, 0)
    frozen(deadline - SECOND)
    case_services.cases_wake_due()
    assert overdue_to_hr(sick) == 0
    frozen(deadline + SECOND)
    case_services.cases_wake_due()
    assert overdue_to_hr(sick) == 1
    client.force_login(sick.leader)
    response = client.post(reverse("sickleave:plan_new", args=[case.reference]), PLAN, **EN)
    assert response.status_code == 302
    task = open_task(case, "send_plan_to_doctor")
    assert task.due_at == deadline
    assert task.escalated_at is not None
    assert overdue_to_hr(sick) == 2
    frozen(deadline + timedelta(days=2))
    case_services.cases_wake_due()
    assert overdue_to_hr(sick) == 2


# -- dialogue meeting 1: partial becomes full ---------------------------------

def test_change_to_full_before_seven_weeks_keeps_the_seven_week_limit(sick, frozen):
    """aml. § 4-6 (4): meeting 1 within seven weeks of the first day when the
    employee is fully absent. Partial from Monday 2 March 2026; full from
    Monday 13 April (week 7, before the limit of Monday 20 April). The meeting
    is still due 20 April 16:00: the [PROPOSAL] "dm1_after_full" rule is
    stated for a change *after* the seven-week limit, yet the code moves the
    statutory deadline one week later (27 April)."""
    frozen(oslo(2026, 3, 2, 9))
    followup = services.absence_register(actor=sick.leader, employee=sick.employee,
                                         unit=sick.ivt, first_day=date(2026, 3, 2), grade=50)
    case = followup.case
    frozen(oslo(2026, 4, 13, 9))
    services.absence_grade_change(actor=sick.leader, followup=followup, grade=100,
                                  changed_on=date(2026, 4, 13))
    seven_weeks = oslo(2026, 4, 20, 16, 0)
    assert open_task(case, "invite_dm1").due_at == seven_weeks


def test_partial_to_full_after_not_expedient_escalates_once_at_new_deadline(sick, frozen):
    """Partial absence from Tue 3 Feb 2026; leader decides meeting 1 is not
    expedient (no escalation). Absence turns full on Mon 30 March (after the
    seven-week limit, 24 March): meeting 1 due 13 April 16:00 (summer time).
    HR is told once, one second after; not before; not again later."""
    frozen(oslo(2026, 2, 3, 9))
    followup = services.absence_register(actor=sick.leader, employee=sick.employee,
                                         unit=sick.ivt, first_day=date(2026, 2, 3), grade=60)
    case = followup.case
    services.plan_version_create(actor=sick.leader, followup=followup, data=PLAN)
    complete(sick.leader, case, "send_plan_to_doctor",
             {"sent_on": "2026-02-03", "method": "health_network"})
    complete(sick.leader, case, "decide_dm1", {"dm1_decision": "not_expedient"})
    frozen(oslo(2026, 3, 24, 16, 0, 1))
    case_services.cases_wake_due()
    complete(sick.leader, case, "record_activity", {"activity_status": "in_activity"})
    assert overdue_to_hr(sick) == 0
    frozen(oslo(2026, 3, 30, 9))
    services.absence_grade_change(actor=sick.leader, followup=followup, grade=100,
                                  changed_on=date(2026, 3, 30))
    new_deadline = oslo(2026, 4, 13, 16, 0)
    assert open_task(case, "invite_dm1").due_at == new_deadline
    frozen(new_deadline - SECOND)
    case_services.cases_wake_due()
    assert overdue_to_hr(sick) == 0
    frozen(new_deadline + SECOND)
    case_services.cases_wake_due()
    assert overdue_to_hr(sick) == 1
    frozen(new_deadline + timedelta(days=5))
    case_services.cases_wake_due()
    assert overdue_to_hr(sick) == 1
    [unit] = selectors.hr_overdue(user=sick.hr)
    item = next(i for i in unit.items if i.row.key == "dm1")
    assert item.row.due == new_deadline


# -- NAV asks for the plan -----------------------------------------------------

def test_nav_request_recorded_by_hr_over_http_with_past_date_is_overdue_at_once(
        client, sick, frozen):
    """HR records on 10 June that NAV asked on 1 June for the plan by 5 June:
    overdue at once, HR told once; the HR overview shows NAV's date."""
    frozen(oslo(2026, 4, 1, 9))
    followup = services.absence_register(actor=sick.leader, employee=sick.employee,
                                         unit=sick.ivt, first_day=date(2026, 4, 1), grade=100)
    case = followup.case
    services.plan_version_create(actor=sick.leader, followup=followup, data=PLAN)
    complete(sick.leader, case, "send_plan_to_doctor",
             {"sent_on": "2026-04-01", "method": "health_network"})
    complete(sick.leader, case, "invite_dm1", {
        "dm1_plan": "obviously_unnecessary", "dm1_unnecessary_reason": "serious_illness"})
    frozen(oslo(2026, 5, 27, 9))
    case_services.cases_wake_due()
    complete(sick.leader, case, "record_activity", {"activity_status": "in_activity"})
    frozen(oslo(2026, 6, 10, 9))
    case_services.cases_wake_due()
    before = overdue_to_hr(sick)
    client.force_login(sick.hr)
    url = reverse("sickleave:nav_request", args=[case.reference])
    response = client.post(url, {"requested_on": "2026-06-01", "due_on": "2026-06-05"}, **EN)
    assert response.status_code == 302
    task = open_task(case, "send_plan_to_nav_requested")
    assert task.due_at == oslo(2026, 6, 5, 16, 0)
    assert task.escalated_at is not None
    assert overdue_to_hr(sick) == before + 1
    frozen(oslo(2026, 6, 12, 9))
    case_services.cases_wake_due()
    assert overdue_to_hr(sick) == before + 1
    client.force_login(sick.hr)
    page = client.get(reverse("sickleave:hr"), **EN).content.decode()
    assert 'datetime="2026-06-05T16:00:00+02:00"' in page


def test_nav_request_before_any_plan_cannot_be_answered_with_no_plan(sick, frozen):
    """NAV asks for the plan in week 1, before the leader has made one. The
    step "send the plan to NAV" must not be completable with no plan at all:
    a dispatch recorded with no plan version claims a plan reached NAV."""
    from cases.exceptions import ApplicationError

    frozen(oslo(2026, 3, 2, 9))
    followup = services.absence_register(actor=sick.leader, employee=sick.employee,
                                         unit=sick.ivt, first_day=date(2026, 3, 2), grade=100)
    case = followup.case
    frozen(oslo(2026, 3, 4, 9))
    services.nav_plan_request_record(actor=sick.leader, followup=followup,
                                     requested_on=date(2026, 3, 4), due_on=date(2026, 3, 11))
    assert not followup.plan_versions.exists()
    try:
        complete(sick.leader, case, "send_plan_to_nav_requested",
                 {"sent_on": "2026-03-05", "method": "nav_digital"})
    except ApplicationError:
        return  # refused: fine
    request = followup.nav_requests.get()
    assert request.dispatch is None or request.dispatch.version is not None, (
        "plan recorded as sent to NAV although no plan exists")


# -- rules page ----------------------------------------------------------------

def test_rules_page_in_norwegian_has_no_english_legal_notes(client, sick, frozen):
    """Every user-facing string is translated: the "Source" column of the
    deadline rules on the Norwegian statistics page is English."""
    frozen(oslo(2026, 3, 2, 9))
    client.force_login(sick.hr)
    page = client.get(reverse("sickleave:statistics"), **NB).content.decode()
    assert "Deadline rules" not in page  # the heading is translated
    for english in ("as early as possible and within four weeks",
                    "the plan goes to the sykmelder as soon as it is made",
                    "(the circular, not the act)"):
        assert english not in page, english
