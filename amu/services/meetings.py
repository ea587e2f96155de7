"""Meetings, agendas and minutes. Only the secretary edits them; the chair
approves the minutes."""

from datetime import date, time

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from amu.access import is_secretary
from amu.exceptions import (
    InvalidInput,
    MeetingLocked,
    MinutesContradictVotes,
    NotSecretary,
    NotTheChair,
)
from amu.minutes_check import minutes_problems
from amu.models import AgendaItem, AmuCase, Body, Meeting, MeetingStatus, Member, Vote
from amu.presence import meeting_seats, presence
from amu.services.steps import complete_step, open_step
from notifications.models import Kind
from notifications.services import notify

EDITABLE_AGENDA = (MeetingStatus.PLANNED, MeetingStatus.PUBLISHED)


def _require_secretary(actor) -> None:
    if not is_secretary(actor):
        raise NotSecretary()


def _lock_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)


def _require_open_agenda(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.APPROVED:
        raise MeetingLocked()
    if meeting.status not in EDITABLE_AGENDA:
        raise InvalidInput(_("The meeting has been held: its agenda can no longer change."))


@transaction.atomic
def meeting_create(*, actor, body: Body, day: date, start_time: time | None = None,
                   location: str = "") -> Meeting:
    _require_secretary(actor)
    try:
        with transaction.atomic():
            return Meeting.objects.create(
                body=body, date=day, start_time=start_time, location=location.strip()
            )
    except IntegrityError:
        raise InvalidInput(
            extra={"errors": {"date": gettext("The body already meets on this day.")}}
        ) from None


@transaction.atomic
def agenda_item_add(*, actor, meeting: Meeting, amu_case: AmuCase) -> AgendaItem:
    """Put a waiting case on the meeting's agenda (completes its "schedule"
    step; the process gives it its number)."""
    _require_secretary(actor)
    meeting = _lock_meeting(meeting)
    _require_open_agenda(meeting)
    if amu_case.body_id != meeting.body_id:
        raise InvalidInput(_("The case is handled by another body."))
    complete_step(actor=actor, case=amu_case.case, bpmn_id="schedule",
                  data={"meeting_date": meeting.date.isoformat()})
    return AgendaItem.objects.select_related("number").get(meeting=meeting, amu_case=amu_case)


@transaction.atomic
def agenda_item_remove(*, actor, item: AgendaItem) -> None:
    """Take an undecided case off the agenda before the meeting; it goes back
    to the cases waiting for a meeting and keeps its number."""
    _require_secretary(actor)
    meeting = _lock_meeting(item.meeting)
    _require_open_agenda(meeting)
    item = AgendaItem.objects.select_related("amu_case__case").get(pk=item.pk)
    if item.decided:
        raise InvalidInput(_("A decided case cannot be taken off the agenda."))
    case = item.amu_case.case
    item.delete()
    if open_step(case, "decide") is not None:
        complete_step(actor=actor, case=case, bpmn_id="decide",
                      data={"decision_recorded": False})


@transaction.atomic
def agenda_item_update(*, actor, item: AgendaItem, proposal: str) -> AgendaItem:
    """The proposed decision the members read before the meeting."""
    _require_secretary(actor)
    meeting = _lock_meeting(item.meeting)
    _require_open_agenda(meeting)
    item.proposal = proposal.strip()
    item.save(update_fields=["proposal"])
    return item


@transaction.atomic
def agenda_item_move(*, actor, item: AgendaItem, up: bool) -> None:
    """Swap the item with its neighbour; positions are renumbered 1..n."""
    _require_secretary(actor)
    meeting = _lock_meeting(item.meeting)
    _require_open_agenda(meeting)
    items = list(meeting.items.order_by("position", "id"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if up else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items, start=1):
        if other.position != position:
            other.position = position
            other.save(update_fields=["position"])


def _members_on(meeting: Meeting):
    return meeting_seats(meeting).select_related("user")


def require_meeting_day(meeting: Meeting) -> None:
    """A meeting is held on its date: who is present, the votes, the
    decisions and closing it are recorded from that day, not before."""
    if timezone.localdate() < meeting.date:
        raise InvalidInput(_(
            "The meeting is on %(date)s: who is present, the votes and the decisions are "
            "recorded from that day."
        ) % {"date": formats.date_format(meeting.date, "SHORT_DATE_FORMAT")})


@transaction.atomic
def agenda_publish(*, actor, meeting: Meeting) -> Meeting:
    """Publish (or publish again) the agenda; every member of the body is notified."""
    _require_secretary(actor)
    meeting = _lock_meeting(meeting)
    _require_open_agenda(meeting)
    if not meeting.items.exists():
        raise InvalidInput(_("Put at least one case on the agenda before publishing it."))
    meeting.status = MeetingStatus.PUBLISHED
    meeting.agenda_published_at = timezone.now()
    meeting.save(update_fields=["status", "agenda_published_at"])
    users = {m.user_id: m.user for m in _members_on(meeting) if m.user.is_active}
    notify(
        users=list(users.values()), kind=Kind.AGENDA_PUBLISHED,
        extra={"body": meeting.body.name, "date": formats.date_format(meeting.date, "d.m.Y")},
    )
    return meeting


@transaction.atomic
def meeting_attendance_update(*, actor, meeting: Meeting, member_ids) -> Meeting:
    """Who is present (members and deputies), recorded before the votes.

    Someone who has voted stays recorded as present, a member cannot be
    added once their deputy has voted in their place, and nobody leaves the
    record once a case is decided: the decisions were made with this
    attendance."""
    _require_secretary(actor)
    meeting = _lock_meeting(meeting)
    if meeting.status == MeetingStatus.APPROVED:
        raise MeetingLocked()
    require_meeting_day(meeting)
    members = list(_members_on(meeting).filter(pk__in=list(member_ids)))
    chosen = {m.pk for m in members}
    before = set(meeting.attendees.values_list("pk", flat=True))
    removed = before - chosen
    voted = Vote.objects.filter(item__meeting=meeting).select_related("member__user")
    for vote in voted:
        if vote.member_id in removed:
            raise InvalidInput(_(
                "%(name)s has voted at this meeting and stays recorded as present."
            ) % {"name": vote.member.display_name})
        if vote.for_member_id in chosen:
            raise InvalidInput(_(
                "The deputy %(name)s has voted in the member's place at this meeting: the "
                "member cannot be recorded as present too."
            ) % {"name": vote.member.display_name})
    if removed and meeting.items.exclude(outcome="").exists():
        raise InvalidInput(_(
            "Cases have been decided with this attendance: members can be added, not removed."
        ))
    meeting.attendees.set(members)
    return meeting


@transaction.atomic
def meeting_close(*, actor, meeting: Meeting) -> Meeting:
    """Every case on the agenda has an outcome: the minutes go to the chair."""
    _require_secretary(actor)
    meeting = _lock_meeting(meeting)
    if meeting.status != MeetingStatus.PUBLISHED:
        raise InvalidInput(_("Only a meeting with a published agenda can be closed."))
    require_meeting_day(meeting)
    if not meeting.attendees.exists():
        raise InvalidInput(_("Record who was present first: the minutes list them."))
    if meeting.items.filter(outcome="").exists():
        raise InvalidInput(_("Record an outcome for every case on the agenda first."))
    seats = list(_members_on(meeting))
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["status"])
    # The seats of the day are kept with the minutes (presence.meeting_seats).
    meeting.seats.set(seats)
    return meeting


def chair_of(meeting: Meeting) -> Member | None:
    """Who chairs the meeting: the chair, or the deputy chair when the
    chair is recorded absent."""
    return presence(meeting).chair()


@transaction.atomic
def minutes_approve(*, actor, meeting: Meeting) -> Meeting:
    """The chair (the deputy chair if they chaired) approves the minutes,
    unless they contradict the votes or the attendance; final from then on."""
    meeting = _lock_meeting(meeting)
    chair = chair_of(meeting)
    if chair is None or chair.user_id != actor.pk:
        raise NotTheChair()
    if meeting.status == MeetingStatus.APPROVED:
        raise MeetingLocked()
    if meeting.status != MeetingStatus.HELD:
        raise InvalidInput(_("The secretary has not closed the meeting yet."))
    problems = minutes_problems(meeting)
    if problems:
        raise MinutesContradictVotes(
            " ".join(problems), extra={"problems": problems}
        )
    meeting.status = MeetingStatus.APPROVED
    meeting.minutes_approved_at = timezone.now()
    meeting.minutes_approved_by = actor
    meeting.save(update_fields=["status", "minutes_approved_at", "minutes_approved_by"])
    return meeting
