"""Who is present at a meeting, who votes there, and whether the meeting
can decide.

Attendance is recorded first. A voting member present votes for their own
seat; when a voting member is absent, their deputy, if present, votes in
their place (forskrift §§ 3-11, 3-15); a deputy whose member is present
attends without a vote. Nothing is decided unless at least one voting
member of each side is present and the quorum is met: the body's own
setting, or a majority of its voting seats (no statutory rule exists).
The meeting is chaired by the chair, or by the deputy chair when the chair
is absent; the one chairing has the casting vote (aml. § 7-1).

A member who steps aside from a case (a party, forvaltningsloven § 6) does
not count for it: not for their side being present, not for the quorum, and
a chair who steps aside leaves that case to the deputy chair, who then has
the casting vote. ``aside`` is the user ids of the case's parties.

Once the meeting is held its seats are stored with it (``Meeting.seats``),
so later edits of a seat do not change who the minutes say was present.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from amu.models import Meeting, Member, Side

DECIDING_SIDES = (Side.EMPLOYER, Side.EMPLOYEE)


@dataclass
class Presence:
    meeting: Meeting
    members: list  # every seat active on the day (principals and deputies)
    present_ids: set
    voters: dict = field(default_factory=dict)  # member id -> principal Member or None
    absent: list = field(default_factory=list)  # voting seats with nobody voting for them
    seats: int = 0

    @property
    def recorded(self) -> bool:
        return bool(self.present_ids)

    @property
    def present(self) -> list:
        return [m for m in self.members if m.pk in self.present_ids]

    @property
    def quorum(self) -> int:
        return self.meeting.body.quorum or self.seats // 2 + 1

    def voters_on(self, side: str, aside=frozenset()) -> int:
        return sum(1 for member in self.deciding(aside) if member.side == side)

    def deciding(self, aside=frozenset()) -> list:
        """The members present who vote on a case whose parties are ``aside``."""
        by_id = {m.pk: m for m in self.members}
        return [by_id[pk] for pk in self.voters if by_id[pk].user_id not in aside]

    def stands_in_for(self, member: Member):
        """The absent member a present deputy votes for, else None."""
        return self.voters.get(member.pk)

    def chair(self, aside=frozenset()) -> Member | None:
        """Who chairs: the chair if present (or before attendance is
        recorded), else the deputy chair if present. On a case the chair
        steps aside from, the deputy chair if present, else nobody."""
        chair = next((m for m in self.members if m.chair), None)
        chair_aside = chair is not None and chair.user_id in aside
        if not chair_aside and (
            not self.recorded or (chair is not None and chair.pk in self.present_ids)
        ):
            return chair
        deputy = next((m for m in self.members if m.deputy_chair), None)
        if (deputy is not None and deputy.pk in self.present_ids
                and deputy.user_id not in aside):
            return deputy
        return None if chair_aside else chair

    def blockers(self, aside=frozenset()) -> list[str]:
        """Why the meeting cannot decide now (empty when it can); for one
        case, its parties (``aside``) do not count."""
        if not self.recorded:
            return [_("Record who is present first: only members present vote and decide.")]
        problems = []
        stepping_aside = any(m.user_id in aside for m in self.present)
        for side in DECIDING_SIDES:
            if self.voters_on(side, aside):
                continue
            if stepping_aside and self.voters_on(side):
                message = _(
                    "No voting member of the %(side)s is present who does not step aside from "
                    "this case: one side cannot decide alone."
                )
            else:
                message = _(
                    "No voting member of the %(side)s is present: one side cannot decide alone."
                )
            problems.append(message % {"side": Side(side).label.lower()})
        deciding = len(self.deciding(aside))
        if deciding < self.quorum:
            if deciding < len(self.voters):
                message = _(
                    "%(present)s of %(seats)s voting members are present and do not step aside "
                    "from this case; %(quorum)s must be before anything is decided."
                )
            else:
                message = _(
                    "%(present)s of %(seats)s voting members are present; %(quorum)s must be "
                    "before anything is decided."
                )
            problems.append(message % {"present": deciding, "seats": self.seats,
                                       "quorum": self.quorum})
        return problems


def meeting_seats(meeting: Meeting):
    """The seats of the meeting's day: stored with the meeting once it is
    held, else the body's seats active on the day."""
    if meeting.seats_recorded:
        return meeting.seats.all()
    return Member.objects.active_on(meeting.date).filter(body_id=meeting.body_id)


def presence(meeting: Meeting) -> Presence:
    members = list(
        meeting_seats(meeting)
        .select_related("user", "deputy_for__user")
        .order_by("-chair", "-deputy_chair", "side", "deputy_for_id", "user__last_name",
                  "user__username")
    )
    result = Presence(meeting=meeting, members=members,
                      present_ids=set(meeting.attendees.values_list("pk", flat=True)))
    for principal in (m for m in members if m.seats_counted):
        result.seats += 1
        if principal.pk in result.present_ids:
            result.voters[principal.pk] = None
            continue
        deputy = next((m for m in members if m.deputy_for_id == principal.pk
                       and m.pk in result.present_ids), None)
        if deputy is not None:
            result.voters[deputy.pk] = principal
        else:
            result.absent.append(principal)
    return result
