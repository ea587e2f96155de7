"""Reads of sick-leave follow-up: deadline rows with their traffic light,
the leader's dashboard, HR's overdue list, statistics per unit.

Lists are queries over the sickleave models (the deadlines are copied there
by the ``sickleave.schedule`` operation), never scans of workflow state.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cases.models import CaseStatus, Task, TaskState
from org.models import Unit
from org.roles import HSE_ADMIN, UNIT_LEADER
from sickleave import deadlines
from sickleave.models import (
    FollowUp,
    FollowUpStatus,
    Meeting,
    MeetingOutcome,
    NavPlanRequest,
    PlanComment,
    PlanVersion,
    Recipient,
)
from sickleave.roles import HR_ADVISOR, OCCUPATIONAL_HEALTH, has_role, units_with_role

DUE_SOON = timedelta(days=7)


class State:
    DONE = "done"
    EXEMPT = "exempt"
    NOT_REQUIRED = "not_required"
    LAPSED = "lapsed"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    UPCOMING = "upcoming"


PENDING = (State.OVERDUE, State.DUE_SOON, State.UPCOMING)

STATE_LABELS = {
    State.DONE: _("Done"),
    State.EXEMPT: _("Obviously unnecessary"),
    State.NOT_REQUIRED: _("Not required"),
    State.LAPSED: _("Lapsed: back at work"),
    State.OVERDUE: _("Overdue"),
    State.DUE_SOON: _("Due soon"),
    State.UPCOMING: _("Upcoming"),
}


@dataclass
class DeadlineRow:
    key: str
    label: str
    due: datetime | None
    state: str
    done_on: date | None = None
    note: str = ""
    # The deadline's name in the process (``sickleave.escalate``) when it
    # differs from ``key``.
    escalation_name: str = ""

    @property
    def escalation_key(self) -> tuple[str, datetime | None]:
        """The occurrence an ``Escalation`` row records: name and due time."""
        return self.escalation_name or self.key, self.due

    @property
    def pending(self) -> bool:
        return self.state in PENDING

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def on_time(self) -> bool | None:
        if self.done_on is None or self.due is None:
            return None
        return self.done_on <= timezone.localdate(self.due)

    @property
    def days_overdue(self) -> int:
        if self.due is None or self.state != State.OVERDUE:
            return 0
        return max((timezone.localdate() - timezone.localdate(self.due)).days, 0)

    @property
    def days_left(self) -> int:
        if self.due is None:
            return 0
        return (timezone.localdate(self.due) - timezone.localdate()).days


@dataclass(frozen=True)
class TrafficLight:
    """Status of a follow-up as text and colour (never colour alone)."""

    colour: str  # red, amber, green, grey: a CSS modifier
    label: str
    detail: str = ""


def _pending_state(due: datetime | None, now: datetime) -> str:
    if due is None or due > now + DUE_SOON:
        return State.UPCOMING
    return State.OVERDUE if due < now else State.DUE_SOON


def _meetings(fu: FollowUp) -> dict[int, Meeting]:
    return {m.number: m for m in fu.meetings.all()}


def _first_plan(fu: FollowUp) -> PlanVersion | None:
    versions = sorted(fu.plan_versions.all(), key=lambda v: v.number)
    return versions[0] if versions else None


def _dispatches(fu: FollowUp, recipient: str, meeting: int | None = None) -> list:
    return sorted(
        (d for d in fu.dispatches.all()
         if d.recipient == recipient and (meeting is None or d.meeting_number == meeting)),
        key=lambda d: d.sent_on,
    )


def _ever_full(fu: FollowUp) -> bool:
    return any(p.grade >= 100 for p in fu.periods.all())


def is_running(fu: FollowUp) -> bool:
    """Absent and followed up. A case cancelled on the generic case page
    (the policy lets the leader and HR do it) ends the follow-up too."""
    return fu.status == FollowUpStatus.OPEN and (
        fu.case is None or fu.case.status != CaseStatus.CANCELLED
    )


def _running() -> QuerySet:
    return FollowUp.objects.filter(status=FollowUpStatus.OPEN).exclude(
        case__status=CaseStatus.CANCELLED
    )


def deadline_rows(fu: FollowUp, now: datetime | None = None) -> list[DeadlineRow]:
    """Every statutory step of the follow-up with its due date and state.

    Needs ``followups_with_details`` prefetches to stay query-free per row.
    """
    now = now or timezone.now()
    active = is_running(fu)

    def pending(due):
        return _pending_state(due, now) if active else State.LAPSED

    rows = []
    plan = _first_plan(fu)
    if plan is not None:
        rows.append(DeadlineRow("plan", str(_("Follow-up plan")), fu.plan_due, State.DONE,
                                timezone.localdate(plan.created_at)))
    elif fu.plan_exemption_reason:
        rows.append(DeadlineRow(
            "plan", str(_("Follow-up plan")), fu.plan_due, State.EXEMPT,
            timezone.localdate(fu.plan_exempted_at) if fu.plan_exempted_at else None,
            fu.get_plan_exemption_reason_display(),
        ))
    else:
        rows.append(DeadlineRow("plan", str(_("Follow-up plan")), fu.plan_due,
                                pending(fu.plan_due)))

    if not fu.plan_exemption_reason or plan is not None:
        sent = _dispatches(fu, Recipient.DOCTOR)
        label = str(_("Plan sent to the doctor"))
        if sent:
            rows.append(DeadlineRow("plan_to_doctor", label, fu.doctor_due, State.DONE,
                                    sent[0].sent_on, sent[0].get_method_display()))
        else:
            rows.append(DeadlineRow("plan_to_doctor", label, fu.doctor_due,
                                    pending(fu.doctor_due)))

    meetings = _meetings(fu)
    dm1 = meetings.get(1)
    label = str(_("Dialogue meeting 1"))
    if dm1 is not None and dm1.outcome == MeetingOutcome.HELD:
        rows.append(DeadlineRow("dm1", label, fu.dm1_due, State.DONE, dm1.held_on))
    elif dm1 is not None and dm1.outcome == MeetingOutcome.OBVIOUSLY_UNNECESSARY:
        rows.append(DeadlineRow("dm1", label, fu.dm1_due, State.EXEMPT, None,
                                dm1.get_unnecessary_reason_display()))
    elif fu.dm1_decision == "not_expedient" and not _ever_full(fu):
        rows.append(DeadlineRow("dm1", label, fu.dm1_due, State.NOT_REQUIRED, None,
                                str(_("Partial absence: not expedient"))))
    else:
        note = str(_("Date: %(date)s") % {"date": dm1.planned_on}) if dm1 and dm1.planned_on \
            else ""
        rows.append(DeadlineRow("dm1", label, fu.dm1_due, pending(fu.dm1_due), None, note))

    label = str(_("Activity requirement"))
    if fu.activity_status:
        rows.append(DeadlineRow(
            "activity", label, fu.activity_due, State.DONE,
            timezone.localdate(fu.activity_recorded_at) if fu.activity_recorded_at else None,
            fu.get_activity_status_display(),
        ))
    else:
        rows.append(DeadlineRow("activity", label, fu.activity_due, pending(fu.activity_due)))

    for number, key in ((2, "dm2"), (3, "dm3")):
        meeting = meetings.get(number)
        label = str(_("Dialogue meeting %(number)s (NAV)") % {"number": number})
        due = fu.dm2_due if number == 2 else None
        if number == 3 and meeting is None:
            continue
        if meeting is not None and meeting.outcome == MeetingOutcome.HELD:
            rows.append(DeadlineRow(key, label, due, State.DONE, meeting.held_on))
        elif meeting is not None and meeting.outcome == MeetingOutcome.NOT_NEEDED_NAV:
            rows.append(DeadlineRow(key, label, due, State.NOT_REQUIRED, None,
                                    meeting.get_outcome_display()))
        else:
            note = str(_("Date: %(date)s") % {"date": meeting.planned_on}) \
                if meeting and meeting.planned_on else ""
            rows.append(DeadlineRow(key, label, due, pending(due), None, note))
        if meeting is not None and meeting.plan_to_nav_due:
            # Only this round's dispatch: meeting 3 can be asked for again.
            sent = [d for d in _dispatches(fu, Recipient.NAV, number)
                    if meeting.invited_at is None or d.recorded_at >= meeting.invited_at]
            nav_label = str(_("Updated plan sent to NAV (meeting %(number)s)")
                            % {"number": number})
            # The BPMN names meeting 2's deadline "plan_to_nav".
            name = "plan_to_nav" if number == 2 else f"plan_to_nav_{number}"
            if sent:
                rows.append(DeadlineRow(f"plan_to_nav_{number}", nav_label,
                                        meeting.plan_to_nav_due, State.DONE, sent[0].sent_on,
                                        sent[0].get_method_display(), name))
            elif meeting.outcome != MeetingOutcome.HELD:
                rows.append(DeadlineRow(f"plan_to_nav_{number}", nav_label,
                                        meeting.plan_to_nav_due,
                                        pending(meeting.plan_to_nav_due), escalation_name=name))

    for request in sorted(fu.nav_requests.all(), key=lambda r: (r.requested_on, r.pk)):
        label = str(_("Plan sent to NAV (NAV asked on %(date)s)")
                    % {"date": date_format(request.requested_on, "SHORT_DATE_FORMAT")})
        key = f"plan_to_nav_request_{request.pk}"
        if request.dispatch is not None:
            rows.append(DeadlineRow(key, label, request.due_at, State.DONE,
                                    request.dispatch.sent_on,
                                    request.dispatch.get_method_display(),
                                    "plan_to_nav_request"))
        else:
            rows.append(DeadlineRow(key, label, request.due_at, pending(request.due_at),
                                    escalation_name="plan_to_nav_request"))
    return rows


def next_deadline(rows: list[DeadlineRow]) -> DeadlineRow | None:
    pending = [r for r in rows if r.pending and r.due is not None]
    return min(pending, key=lambda r: r.due) if pending else None


def traffic_light(fu: FollowUp, rows: list[DeadlineRow]) -> TrafficLight:
    if fu.status == FollowUpStatus.RETURNED:
        return TrafficLight("grey", str(_("Back at work")))
    if not is_running(fu):
        return TrafficLight("grey", str(_("Closed")))
    overdue = [r for r in rows if r.state == State.OVERDUE]
    if overdue:
        worst = max(overdue, key=lambda r: r.days_overdue)
        return TrafficLight("red", str(_("Overdue")), str(
            _("%(deadline)s, %(days)s days overdue")
            % {"deadline": worst.label, "days": worst.days_overdue}))
    soon = [r for r in rows if r.state == State.DUE_SOON]
    if soon:
        first = min(soon, key=lambda r: r.due)
        return TrafficLight("amber", str(_("Due soon")), str(
            _("%(deadline)s in %(days)s days") % {"deadline": first.label,
                                                 "days": first.days_left}))
    if next_deadline(rows) is None:
        return TrafficLight("grey", str(_("No deadline pending")))
    return TrafficLight("green", str(_("On track")))


@dataclass
class FollowUpRow:
    followup: FollowUp
    rows: list[DeadlineRow]
    next: DeadlineRow | None
    light: TrafficLight
    grade: int | None


def followups_with_details(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("employee", "unit", "case").prefetch_related(
        "periods", "plan_versions", "dispatches", "meetings", "escalations",
        Prefetch("nav_requests", queryset=NavPlanRequest.objects.select_related("dispatch")),
    )


def summarise(followups) -> list[FollowUpRow]:
    now = timezone.now()
    result = []
    for fu in followups:
        rows = deadline_rows(fu, now)
        periods = sorted(fu.periods.all(), key=lambda p: (p.starts_on, p.pk))
        result.append(FollowUpRow(fu, rows, next_deadline(rows), traffic_light(fu, rows),
                                  periods[-1].grade if periods else None))
    return result


def _sort_key(row: FollowUpRow):
    order = {"red": 0, "amber": 1, "green": 2, "grey": 3}
    far = datetime.max.replace(tzinfo=timezone.get_current_timezone())
    return order[row.light.colour], row.next.due if row.next else far


# -- screens -----------------------------------------------------------------

def leader_units(user) -> set[int]:
    return units_with_role(user, UNIT_LEADER)


def hr_units(user) -> set[int]:
    return units_with_role(user, HR_ADVISOR)


def leader_dashboard(*, user) -> dict[str, list[FollowUpRow]]:
    """Absences of the leader's employees: open ones by urgency, and those
    back at work while a new absence would still continue the case."""
    units = leader_units(user)
    current = summarise(followups_with_details(
        _running().filter(unit_id__in=units).exclude(employee=user)))
    returned = summarise(followups_with_details(
        FollowUp.objects.filter(unit_id__in=units, status=FollowUpStatus.RETURNED)
        .exclude(employee=user)))
    return {"open": sorted(current, key=_sort_key), "returned": returned}


def employee_followups(*, user) -> list[FollowUpRow]:
    return summarise(followups_with_details(FollowUp.objects.filter(employee=user)))


def bht_followups(*, user) -> list[FollowUpRow]:
    if not has_role(user, OCCUPATIONAL_HEALTH):
        return []
    invited = FollowUp.objects.filter(
        bht_invitations__user=user, bht_invitations__revoked_at__isnull=True
    ).exclude(employee=user).distinct()
    return summarise(followups_with_details(invited))


@dataclass
class OverdueItem:
    followup: FollowUp
    row: DeadlineRow
    escalated_at: datetime | None
    leaders: list = field(default_factory=list)


@dataclass
class UnitOverdue:
    unit: Unit
    items: list[OverdueItem]


def hr_overdue(*, user) -> list[UnitOverdue]:
    """Overdue steps per unit the HR advisor serves, most overdue first."""
    units = Unit.objects.filter(pk__in=hr_units(user)).order_by("name")
    followups = followups_with_details(
        _running().filter(unit__in=units).exclude(employee=user)
    )
    by_unit: dict[int, list[OverdueItem]] = defaultdict(list)
    for summary in summarise(followups):
        # The escalation of this occurrence of the deadline, not of an
        # earlier one with the same name (a moved meeting 1, a former round
        # of meeting 3).
        escalations = {(e.deadline, e.due_at): e for e in summary.followup.escalations.all()}
        for row in summary.rows:
            if row.state == State.OVERDUE:
                escalation = escalations.get(row.escalation_key)
                by_unit[summary.followup.unit_id].append(
                    OverdueItem(summary.followup, row,
                                escalation.escalated_at if escalation else None)
                )
    return [
        UnitOverdue(unit, sorted(by_unit.get(unit.pk, []), key=lambda i: -i.row.days_overdue))
        for unit in units
    ]


def open_tasks(followup: FollowUp) -> QuerySet:
    if followup.case_id is None:
        return Task.objects.none()
    return Task.objects.filter(case_id=followup.case_id, state=TaskState.READY).order_by(
        "due_at", "pk"
    )


def step_completed_by(followup: FollowUp, bpmn_id: str):
    """Who completed a step (e.g. recorded that a plan is obviously
    unnecessary): the task mirror keeps it."""
    task = (
        Task.objects.filter(case_id=followup.case_id, bpmn_id=bpmn_id, state=TaskState.COMPLETED)
        .select_related("completed_by").order_by("-completed_at").first()
    )
    return task.completed_by if task else None


def plan_versions(followup: FollowUp) -> QuerySet:
    return followup.plan_versions.select_related("created_by").prefetch_related(
        Prefetch("comments", queryset=PlanComment.objects.select_related("author"))
    ).order_by("-number")


def read_log(followup: FollowUp) -> QuerySet:
    return followup.reads.select_related("user").order_by("-at", "-pk")


# -- statistics --------------------------------------------------------------

@dataclass
class UnitStatistics:
    unit: Unit
    plans_due: int = 0
    plans_on_time: int = 0
    plans_exempt: int = 0
    meetings_due: int = 0
    meetings_on_time: int = 0
    meetings_exempt: int = 0

    @staticmethod
    def _share(part: int, whole: int) -> int | None:
        return round(100 * part / whole) if whole else None

    @property
    def plans_share(self) -> int | None:
        return self._share(self.plans_on_time, self.plans_due)

    @property
    def meetings_share(self) -> int | None:
        return self._share(self.meetings_on_time, self.meetings_due)


def statistics_units(user) -> set[int] | None:
    """None for every unit (HSE administrators: aggregates only); the led or
    served units for leaders and HR advisors; an empty set for others."""
    if has_role(user, HSE_ADMIN):
        return None
    return leader_units(user) | hr_units(user)


def _absent_on(fu: FollowUp, day: date) -> bool:
    return fu.returned_on is None or fu.returned_on > day


def unit_statistics(*, year: int, unit_ids: set[int] | None) -> list[UnitStatistics]:
    """Share of plans made on time and of dialogue meetings 1 held on time,
    per unit, for deadlines falling in ``year`` that had passed by now.

    A duty counts once it arose: its deadline passed while the employee was
    still absent, or it was met early. "Obviously unnecessary" is a lawful
    outcome and is counted apart, not as on time or late.
    """
    now = timezone.now()
    units = Unit.objects.order_by("name")
    if unit_ids is not None:
        units = units.filter(pk__in=unit_ids)
    stats = {unit.pk: UnitStatistics(unit) for unit in units}
    followups = followups_with_details(
        FollowUp.objects.filter(unit_id__in=stats, plan_due__year=year).exclude(
            status=FollowUpStatus.CLOSED, returned_on__isnull=True
        )
    )
    for fu in followups:
        s = stats[fu.unit_id]
        plan = _first_plan(fu)
        plan_due_day = timezone.localdate(fu.plan_due)
        if fu.plan_exemption_reason and plan is None:
            s.plans_exempt += 1
        elif plan is not None or (fu.plan_due <= now and _absent_on(fu, plan_due_day)):
            s.plans_due += 1
            if plan is not None and timezone.localdate(plan.created_at) <= plan_due_day:
                s.plans_on_time += 1
        dm1 = _meetings(fu).get(1)
        if fu.dm1_due is None:
            continue
        dm1_due_day = timezone.localdate(fu.dm1_due)
        if dm1 is not None and dm1.outcome == MeetingOutcome.OBVIOUSLY_UNNECESSARY:
            s.meetings_exempt += 1
            continue
        held = dm1 is not None and dm1.outcome == MeetingOutcome.HELD
        required = _ever_full(fu) or fu.dm1_decision == "hold" or held
        if held or (required and fu.dm1_due <= now and _absent_on(fu, dm1_due_day)):
            s.meetings_due += 1
            if held and dm1.held_on and dm1.held_on <= dm1_due_day:
                s.meetings_on_time += 1
    return list(stats.values())


def statistics_years() -> list[int]:
    first = FollowUp.objects.order_by("first_day").values_list("first_day", flat=True).first()
    this_year = timezone.localdate().year
    start = min(first.year, this_year) if first else this_year
    return list(range(this_year + 1, start - 1, -1))


def rules() -> list[deadlines.Rule]:
    return list(deadlines.RULES.values())
