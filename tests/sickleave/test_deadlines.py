"""Deadlines are counted from the first day of absence, for full and partial
absence alike, across month, leap-day and year ends, and the process's
timers and task due dates follow them (time moved with time-machine)."""

from datetime import date

import pytest

from cases import services as case_services
from cases.models import Case
from sickleave import deadlines, services
from sickleave.models import FollowUp
from tests.sickleave.conftest import open_bpmn_ids, open_task, oslo

pytestmark = pytest.mark.django_db


def test_schedule_across_the_year_end():
    """First day Monday 14 December 2026: plan 11 January 2027 (4 weeks),
    meeting 1 on 1 February (7 weeks), activity 8 February (8 weeks),
    NAV meeting 2 by 14 June (26 weeks, summer time)."""
    dates = deadlines.schedule(date(2026, 12, 14))
    assert dates["plan_reminder_at"] == oslo(2027, 1, 4, 8, 0)
    assert dates["plan_due"] == oslo(2027, 1, 11, 16, 0)
    assert dates["dm1_due"] == oslo(2027, 2, 1, 16, 0)
    assert dates["activity_opens_at"] == oslo(2027, 2, 1, 8, 0)
    assert dates["activity_due"] == oslo(2027, 2, 8, 16, 0)
    assert dates["dm2_opens_at"] == oslo(2027, 4, 5, 8, 0)
    assert dates["dm2_due"] == oslo(2027, 6, 14, 16, 0)
    assert dates["dm2_due"].utcoffset().total_seconds() == 2 * 3600  # CEST


@pytest.mark.parametrize(
    ("first_day", "plan_due", "dm1_due"),
    [
        (date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 21)),  # end of January
        (date(2028, 2, 1), date(2028, 2, 29), date(2028, 3, 21)),  # leap day
        (date(2026, 12, 31), date(2027, 1, 28), date(2027, 2, 18)),  # new year's eve
        (date(2026, 11, 30), date(2026, 12, 28), date(2027, 1, 18)),  # into the next year
    ],
)
def test_plan_and_meeting_dates_across_month_ends(first_day, plan_due, dm1_due):
    dates = deadlines.schedule(first_day)
    assert dates["plan_due"].date() == plan_due
    assert dates["dm1_due"].date() == dm1_due


def test_a_deployment_can_override_a_length(settings):
    """Open question 5 (ftrl. § 8-7 a reworked): a changed rule is one setting."""
    settings.VARDE_SICKLEAVE_DAYS = {"dm2": 196}
    assert deadlines.schedule(date(2026, 1, 5))["dm2_due"] == oslo(2026, 7, 20, 16, 0)
    assert deadlines.schedule(date(2026, 1, 5))["plan_due"] == oslo(2026, 2, 2, 16, 0)


def test_every_rule_names_its_legal_source():
    for rule in deadlines.RULES.values():
        assert rule.source.strip(), rule.key
        assert rule.days >= 0


@pytest.mark.parametrize(("grade", "meeting_task"), [(100, "invite_dm1"), (40, "decide_dm1")])
def test_process_deadlines_from_the_first_day(sick, frozen, grade, meeting_task):
    """Registered two days after a first day of 14 December 2026: the tasks
    are due on the statutory dates, full or partial, and the first timer is
    the plan reminder after three weeks."""
    frozen(oslo(2026, 12, 16, 10, 0))
    followup = services.absence_register(
        actor=sick.leader, employee=sick.employee, unit=sick.ivt,
        first_day=date(2026, 12, 14), grade=grade,
    )
    case = followup.case
    assert case.reference.startswith("SYK-2026-")
    assert open_bpmn_ids(case) == {"make_plan", meeting_task}
    assert open_task(case, "make_plan").due_at == oslo(2027, 1, 11, 16, 0)
    assert open_task(case, meeting_task).due_at == oslo(2027, 2, 1, 16, 0)
    assert case.next_timer_at == oslo(2027, 1, 4, 8, 0)
    assert followup.plan_due == oslo(2027, 1, 11, 16, 0)
    assert followup.dm1_due == oslo(2027, 2, 1, 16, 0)
    assert followup.activity_due == oslo(2027, 2, 8, 16, 0)
    assert followup.dm2_due == oslo(2027, 6, 14, 16, 0)


def test_activity_and_nav_steps_open_on_time(sick, frozen):
    """The activity step opens a week before eight weeks, NAV's meeting 2
    step at week 16; each is due on its statutory date."""
    frozen(oslo(2026, 12, 14, 9, 0))
    followup = services.absence_register(
        actor=sick.leader, employee=sick.employee, unit=sick.ivt,
        first_day=date(2026, 12, 14), grade=100,
    )
    case = followup.case

    frozen(oslo(2027, 2, 1, 7, 59))
    case_services.case_wake(case_id=case.pk)
    assert "record_activity" not in open_bpmn_ids(case)
    frozen(oslo(2027, 2, 1, 8, 0, 1))
    case_services.cases_wake_due()
    assert open_task(case, "record_activity").due_at == oslo(2027, 2, 8, 16, 0)

    frozen(oslo(2027, 4, 5, 8, 0, 1))
    case_services.cases_wake_due()
    assert open_task(case, "nav_invitation_2").due_at == oslo(2027, 6, 14, 16, 0)
    assert Case.objects.get(pk=case.pk).status == "running"
    assert FollowUp.objects.get(pk=followup.pk).dm2_due == oslo(2027, 6, 14, 16, 0)


@pytest.mark.parametrize(("changed_on", "due"), [
    (date(2026, 4, 13), oslo(2026, 4, 20, 16, 0)),  # before the seven weeks: kept
    (date(2026, 4, 20), oslo(2026, 4, 20, 16, 0)),  # on the last day: kept
    (date(2026, 4, 21), oslo(2026, 5, 5, 16, 0)),   # after: the change + 14 days
])
def test_meeting_1_after_a_change_to_full_absence(changed_on, due):
    """aml. § 4-6 (4): the seven weeks count from the first day (2 March
    2026); only a change after them gets the short new limit."""
    seven_weeks = deadlines.due_at(date(2026, 3, 2), "dm1")
    assert seven_weeks == oslo(2026, 4, 20, 16, 0)
    assert deadlines.dm1_due_after_change(seven_weeks, changed_on) == due


def test_rule_sources_shown_to_users_hold_no_internal_notes():
    """The rules page shows the sources: translated, with no working notes."""
    from django.utils.translation import override

    for rule in deadlines.RULES.values():
        with override("en"):
            english = str(rule.source)
        with override("nb"):
            norwegian = str(rule.source)
        assert norwegian != english, rule.key
        for note in ("PROPOSAL", "OPEN QUESTION", "UNVERIFIED", "verify"):
            assert note not in english, (rule.key, note)
