"""Every deadline of sick-leave follow-up, with its legal source, in one place.

The rules change (domain brief §4 and its open question 5: NAV's circular
R08-00 notes that its commentary on ftrl. §§ 8-4, 8-5, 8-7 a and 8-8 was
completely rewritten on 18 December 2025; that date is the circular's, not an
amendment of the act, but the timing of dialogue meeting 2 and the activity
requirement is still to be verified against it). So the lengths live here,
not in the BPMN: the process asks the ``sickleave.schedule`` operation for
its dates, and a changed rule needs a change here only.

Lengths count calendar days after the **first day of absence** (full or
partial), the anchor of aml. § 4-6 and ftrl. chapter 8: the plan is due
28 days after a first day on Monday 5 January, i.e. on Monday 2 February. A
deadline falls at the end of the working day (16:00 Oslo time) of its date,
as everywhere in Varde; a date on a weekend is not moved, since the statutory
limits are not. Opening and reminder times fall at 08:00.

A deployment may override any length, e.g. while a rule is being verified:
``VARDE_SICKLEAVE_DAYS = {"dm2": 182}`` in the Django settings (read when a
case is scheduled, so running cases keep the dates they were given).

Sources (see domain brief §9): A46 = aml. § 4-6 (arbeidsmiljoloven.com);
NAV-DM1, NAV-DM23, NAV-BROSJ = nav.no guidance; HDIR-8 = Helsedirektoratet's
sykmelder guide; C24-NAV = compendia24.no.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cases.calendar import OSLO, end_of_day

START_OF_DAY = time(8, 0)


@dataclass(frozen=True)
class Rule:
    key: str
    label: object  # lazy translation
    days: int
    source: object  # lazy translation, shown on the rules page
    note: str = ""


# The "source" column is shown to users: legal references and what they say,
# translated. Internal notes (proposals, open questions) stay in comments.
RULES: dict[str, Rule] = {
    rule.key: rule
    for rule in (
        # Proposal (issue 6), not a statutory deadline.
        Rule(
            "plan_reminder", _("Reminder: follow-up plan"), 21,
            _("Varde's practice, not a statutory deadline: a reminder one week before the "
              "plan is due."),
        ),
        Rule(
            "plan", _("Follow-up plan"), 28,
            _("aml. § 4-6 (3): as early as possible and within four weeks, for full and "
              "partial absence, unless obviously unnecessary [A46; Prop. 102 L (2013-2014)]."),
        ),
        Rule(
            "plan_to_doctor", _("Plan sent to the doctor"), 28,
            _("aml. § 4-6 (3): the plan goes to the sykmelder as soon as it is made and at the "
              "latest after four weeks [A46]. A plan made later is overdue at the doctor at "
              "once."),
        ),
        Rule(
            "dm1", _("Dialogue meeting 1"), 49,
            _("aml. § 4-6 (4): within seven weeks; mandatory when fully absent unless obviously "
              "unnecessary, held for partial absence when a party finds it expedient "
              "[A46; NAV-DM1]. Absence that turns full before the seven weeks keeps this "
              "limit."),
        ),
        # Proposal: the act sets no limit for a meeting that becomes mandatory
        # after the seven weeks have passed.
        Rule(
            "dm1_after_full", _("Dialogue meeting 1 after a change to full absence"), 14,
            _("Varde's practice: when partial absence becomes full after the seven-week limit "
              "of aml. § 4-6 (4), the now mandatory meeting is due this many days after the "
              "change. A change before the limit keeps the seven weeks."),
        ),
        # Proposal.
        Rule(
            "activity_opens", _("Activity requirement step opens"), 49,
            _("Varde's practice: the leader's step appears one week before the activity "
              "requirement."),
        ),
        # OPEN QUESTION 5 (domain brief): the timing after NAV's rewritten
        # commentary is to be verified; override with VARDE_SICKLEAVE_DAYS if
        # it changes. The page states the fact, not the open question.
        Rule(
            "activity", _("Activity requirement"), 56,
            _("ftrl. § 8-8 (2): work-related activity at eight weeks unless a medical or a "
              "workplace exception applies [HDIR-8; C24-NAV]. NAV's circular R08-00 "
              "rewrote its commentary on § 8-8 on 18 Dec 2025 (the circular, not the act) "
              "[NAV-R08]."),
        ),
        Rule(
            "dm2_opens", _("NAV asks about dialogue meeting 2"), 112,
            _("NAV asks employer and employee at week 16 whether a meeting is needed "
              "[NAV-DM23]."),
        ),
        # OPEN QUESTION 5: as for "activity", the timing is to be verified.
        Rule(
            "dm2", _("Dialogue meeting 2 (NAV)"), 182,
            _("ftrl. § 8-7 a: NAV holds dialogue meeting 2 within 26 weeks "
              "[C24-NAV; NAV-DM23]. NAV's circular R08-00 rewrote its commentary on § 8-7 a "
              "on 18 Dec 2025 (the circular, not the act) [NAV-R08]."),
        ),
        Rule(
            "plan_to_nav", _("Updated plan sent to NAV"), 7,
            _("aml. § 4-6 (3), ftrl. § 25-2: at least one week before dialogue meeting 2 or 3 "
              "(days before the meeting) [A46; R8-7a]."),
        ),
        # Proposal.
        Rule(
            "meeting_record", _("Meeting recorded"), 7,
            _("Varde's practice: record within a week that a NAV dialogue meeting was held."),
        ),
        # Proposal, UNVERIFIED for follow-up duties: by analogy with ftrl. § 8-19.
        Rule(
            "continuation", _("A new absence continues the case"), 16,
            _("Varde's practice: a new absence starting at most this many days after the "
              "return to work continues the same follow-up, by analogy with ftrl. § 8-19 "
              "(a new employer period needs 16 days at work)."),
        ),
    )
}


def days(key: str) -> int:
    """The length of rule ``key``, with the deployment's override if any."""
    overrides = getattr(settings, "VARDE_SICKLEAVE_DAYS", {}) or {}
    return int(overrides.get(key, RULES[key].days))


def due_at(first_day: date, key: str) -> datetime:
    """End of the working day ``days(key)`` calendar days after ``first_day``."""
    return end_of_day(first_day + timedelta(days=days(key)))


def opens_at(first_day: date, key: str) -> datetime:
    """Start of the working day ``days(key)`` calendar days after ``first_day``."""
    return datetime.combine(first_day + timedelta(days=days(key)), START_OF_DAY, tzinfo=OSLO)


def dm1_due_after_change(dm1_due: datetime, changed_on: date) -> datetime:
    """Meeting 1 becomes mandatory when partial absence turns full. A change
    on or before the day of the seven-week limit keeps that limit (aml. § 4-6
    (4) counts from the first day of absence); only a change after it gets a
    short new limit (rule ``dm1_after_full``) instead of one in the past."""
    if changed_on <= dm1_due.astimezone(OSLO).date():
        return dm1_due
    return end_of_day(changed_on + timedelta(days=days("dm1_after_full")))


def continuation_until(returned_on: date) -> datetime | None:
    """Until when a new absence continues the case; None if it never does."""
    window = days("continuation")
    if window <= 0:
        return None
    return end_of_day(returned_on + timedelta(days=window))


def schedule(first_day: date) -> dict[str, datetime]:
    """Every date the process waits for, from the first day of absence."""
    return {
        "plan_reminder_at": opens_at(first_day, "plan_reminder"),
        "plan_due": due_at(first_day, "plan"),
        # Never later than the four-week mark, whenever the plan is made: a
        # plan saved on its deadline day is due at the doctor that day, and
        # one made after it is overdue there at once (aml. § 4-6 (3)).
        "doctor_due": due_at(first_day, "plan_to_doctor"),
        "dm1_due": due_at(first_day, "dm1"),
        "activity_opens_at": opens_at(first_day, "activity_opens"),
        "activity_due": due_at(first_day, "activity"),
        "dm2_opens_at": opens_at(first_day, "dm2_opens"),
        "dm2_due": due_at(first_day, "dm2"),
    }


def plan_to_nav_due(meeting_on: date) -> datetime:
    """The updated plan must reach NAV at least a week before the meeting."""
    return end_of_day(meeting_on - timedelta(days=days("plan_to_nav")))


def meeting_record_due(meeting_on: date) -> datetime:
    return end_of_day(meeting_on + timedelta(days=days("meeting_record")))


def nav_request_due(due_on: date) -> datetime:
    """NAV asked for the plan by ``due_on`` (aml. § 4-6 (3): whenever NAV
    asks): due at the end of that working day, like every deadline here."""
    return end_of_day(due_on)
