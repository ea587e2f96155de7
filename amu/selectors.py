"""Reads for the AMU pages: calendars, agendas, work lists, annual figures,
and what one viewer may read of one case."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from amu.access import (
    can_view_meeting,
    current_seats,
    is_secretary,
    is_submitter,
    member_body_ids,
    sees_confidential,
    sees_full_text,
    sees_incident_text,
)
from amu.models import (
    ActionStatus,
    AgendaItem,
    AmuCase,
    Body,
    CaseKind,
    ConflictDeclaration,
    FollowUpAction,
    Meeting,
    MeetingStatus,
    Member,
    Outcome,
    Vote,
)
from amu.parties import amu_case_parties
from amu.presence import Presence
from cases.models import Task, TaskState

HELD = (MeetingStatus.HELD, MeetingStatus.APPROVED)


def visible_bodies(user) -> QuerySet:
    """Bodies whose agendas the user reads: all for the secretary, else their own."""
    if is_secretary(user):
        return Body.objects.all()
    return Body.objects.filter(pk__in=member_body_ids(user))


def meetings_of(*, body: Body, year: int) -> QuerySet:
    return Meeting.objects.filter(body=body, date__year=year).annotate(
        item_count=Count("items")
    ).order_by("date", "start_time")


def upcoming_meetings(*, user, limit: int = 10) -> QuerySet:
    meetings = Meeting.objects.filter(date__gte=timezone.localdate()).select_related("body")
    if not is_secretary(user):
        meetings = meetings.filter(
            body_id__in=member_body_ids(user), status=MeetingStatus.PUBLISHED
        )
    return meetings.order_by("date", "start_time")[:limit]


def agenda(meeting: Meeting) -> QuerySet:
    """The meeting's items in order, with what the agenda and minutes show."""
    return (
        meeting.items.select_related(
            "number", "amu_case", "amu_case__case", "amu_case__incident_case",
            "amu_case__body", "appeal",
        )
        .prefetch_related(
            "amu_case__documents",
            Prefetch("amu_case__conflicts",
                     queryset=ConflictDeclaration.objects.select_related("member__user")),
            Prefetch("votes", queryset=Vote.objects.select_related(
                "member__user", "for_member__user")),
            Prefetch("actions", queryset=FollowUpAction.objects.select_related("owner")),
        )
        .order_by("position", "id")
    )


def withhold_confidential(items, *, user, meeting: Meeting, public: bool = False) -> list:
    """Mark the items whose text, documents and decision this viewer may not
    read (``item.withheld``): confidential cases, for viewers without a
    voting seat on the body, and for everyone in the public minutes."""
    voting_seat = is_secretary(user) or current_seats(user, meeting.date).filter(
        body_id=meeting.body_id, voting=True, observer=False, secretary=False
    ).exists()
    for item in items:
        confidential = item.amu_case.confidential
        item.withheld = confidential and (
            public or not (voting_seat or is_submitter(user, item.amu_case))
        )
    return items


def mark_stepped_aside(items, attendance: Presence) -> list:
    """``item.stepped_aside``: [(member, reason)] of those present with a
    vote who are parties to the case and did not vote on it (a vote cast
    stays in the minutes as cast); ``item.parties``: {user id: reason}."""
    voters = [m for m in attendance.members if m.pk in attendance.voters]
    for item in items:
        parties = amu_case_parties(item.amu_case)
        voted = {vote.member_id for vote in item.votes.all()}
        item.parties = parties
        item.stepped_aside = [(m, parties[m.user_id]) for m in voters
                              if m.user_id in parties and m.pk not in voted]
    return items


@dataclass(frozen=True)
class AttendanceRow:
    member: Member
    deputy_voting: bool  # a deputy voting for the absent member
    deputy_idle: bool  # a deputy attending while the member is present


def attendance_rows(attendance: Presence) -> list[AttendanceRow]:
    rows = []
    for member in attendance.present:
        rows.append(AttendanceRow(
            member=member,
            deputy_voting=member.is_deputy and member.pk in attendance.voters,
            deputy_idle=member.is_deputy and member.pk not in attendance.voters,
        ))
    return rows


def members_on(meeting: Meeting) -> QuerySet:
    return (
        Member.objects.active_on(meeting.date)
        .filter(body=meeting.body)
        .select_related("user", "deputy_for__user")
        .order_by("-chair", "-deputy_chair", "side", "deputy_for_id", "user__last_name",
                  "user__username")
    )


def voting_members_on(meeting: Meeting) -> QuerySet:
    """Seats that may vote at the meeting: members, and deputies (who vote
    when their member is absent)."""
    return members_on(meeting).filter(voting=True, observer=False)


def cases_waiting(*, body: Body | None = None) -> QuerySet:
    """Accepted cases waiting to be put on an agenda (their "schedule" step is open)."""
    waiting = AmuCase.objects.filter(
        case__tasks__bpmn_id="schedule", case__tasks__state=TaskState.READY
    )
    if body is not None:
        waiting = waiting.filter(body=body)
    return waiting.select_related("case", "body").order_by("case__created_at").distinct()


def secretary_tasks() -> QuerySet:
    """Open steps of AMU cases in the secretary's lane, soonest due first."""
    return (
        Task.objects.filter(
            state=TaskState.READY, lane="amu_secretary",
            case__definition__process_id__in=["amu_case", "amu_extra_meeting"],
        )
        .select_related("case", "assignee")
        .order_by("due_at", "created_at")
    )


def my_amu_cases(*, user) -> QuerySet:
    return AmuCase.objects.filter(case__reporter=user).select_related("case", "body")


def open_actions() -> QuerySet:
    """Follow-up actions not yet reported, soonest deadline first."""
    return (
        FollowUpAction.objects.filter(status=ActionStatus.OPEN)
        .select_related("owner", "amu_case__case", "agenda_item__number",
                        "agenda_item__meeting__body")
        .order_by("deadline", "id")
    )


@dataclass(frozen=True)
class AnnualFigures:
    body: Body
    meetings_held: int
    cases_decided: int
    cases_for_information: int
    meetings_planned: int = 0  # the body's plan (normally at least four a year)

    @property
    def behind_plan(self) -> bool:
        return self.meetings_held < self.meetings_planned


def annual_figures(*, year: int) -> list[AnnualFigures]:
    """Per body, as the annual report gives them: meetings held, cases
    decided, cases for information (a referred or postponed case is neither)."""
    rows = []
    for body in Body.objects.all():
        items = AgendaItem.objects.filter(
            meeting__body=body, meeting__date__year=year, meeting__status__in=HELD
        )
        rows.append(AnnualFigures(
            body=body,
            meetings_held=body.meetings.filter(date__year=year, status__in=HELD).count(),
            cases_decided=items.filter(
                kind=CaseKind.DECISION, outcome__in=[Outcome.ADOPTED, Outcome.REJECTED]
            ).values("amu_case").distinct().count(),
            cases_for_information=items.filter(outcome=Outcome.NOTED)
            .values("amu_case").distinct().count(),
            meetings_planned=body.meetings_per_year,
        ))
    return rows


def first_year() -> int:
    first = Meeting.objects.order_by("date").values_list("date", flat=True).first()
    return first.year if first else timezone.localdate().year


@dataclass
class CaseView:
    """What one viewer reads of one AMU case.

    For a case from a reported deviation the deviation is described by its
    facts only (type, categories, date, place, severity, injuries: no
    reporter, no free text); the members read the secretary's summary.
    """

    amu_case: AmuCase
    description: str
    show_description: bool
    incident_facts: dict | None
    incident_text: dict | None
    documents: list = field(default_factory=list)
    withheld: bool = False  # a confidential case the viewer sees the title of only
    items: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    consent: object = None


def _incident_facts(amu_case: AmuCase) -> dict | None:
    incident_case = amu_case.incident_case
    if incident_case is None:
        return None
    report = getattr(incident_case, "incident", None)
    facts = {"reference": incident_case.reference, "severity": incident_case.severity}
    if report is not None:
        facts.update(
            type=report.get_incident_type_display(), categories=report.categories,
            event_date=report.event_date, campus=report.get_campus_display(),
            building=report.building, injury_actual=report.injury_actual,
            injury_potential=report.injury_potential, lost_time=report.lost_time,
        )
    return facts


def case_view(*, amu_case: AmuCase, user) -> CaseView:
    full = sees_full_text(user, amu_case)
    withheld = not sees_confidential(user, amu_case)
    text = None
    if sees_incident_text(user, amu_case):
        report = getattr(amu_case.incident_case, "incident", None)
        if report is not None:
            text = {"description": report.description, "immediate_action": report.immediate_action}
    items = list(
        amu_case.agenda_items.select_related("meeting", "meeting__body", "number")
        .order_by("meeting__date", "id")
    )
    if not is_secretary(user):
        items = [i for i in items if i.meeting.agenda_published]
    for item in items:
        item.linkable = can_view_meeting(user, item.meeting)
    return CaseView(
        amu_case=amu_case,
        description=amu_case.description if full else amu_case.summary,
        show_description=not withheld and (full or bool(amu_case.summary)),
        incident_facts=None if withheld else _incident_facts(amu_case),
        incident_text=text,
        documents=[] if withheld else list(amu_case.documents.all()),
        withheld=withheld,
        items=items,
        # A confidential case's decision, questions, actions and § 18-9
        # statement are its text too: withheld like the description.
        requests=[] if withheld else list(amu_case.information_requests.all()),
        actions=[] if withheld else list(amu_case.actions.select_related("owner")),
        consent=None if withheld else getattr(amu_case, "consent", None),
    )
