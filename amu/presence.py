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

    def voters_on(self, side: str) -> int:
        by_id = {m.pk: m for m in self.members}
        return sum(1 for pk in self.voters if by_id[pk].side == side)

    def stands_in_for(self, member: Member):
        """The absent member a present deputy votes for, else None."""
        return self.voters.get(member.pk)

    def chair(self) -> Member | None:
        """Who chairs: the chair if present (or before attendance is
        recorded), else the deputy chair if present."""
        chair = next((m for m in self.members if m.chair), None)
        if not self.recorded or (chair is not None and chair.pk in self.present_ids):
            return chair
        deputy = next((m for m in self.members if m.deputy_chair), None)
        if deputy is not None and deputy.pk in self.present_ids:
            return deputy
        return chair

    def blockers(self) -> list[str]:
        """Why the meeting cannot decide now (empty when it can)."""
        if not self.recorded:
            return [_("Record who is present first: only members present vote and decide.")]
        problems = []
        for side in DECIDING_SIDES:
            if not self.voters_on(side):
                problems.append(_(
                    "No voting member of the %(side)s is present: one side cannot decide alone."
                ) % {"side": Side(side).label.lower()})
        if len(self.voters) < self.quorum:
            problems.append(_(
                "%(present)s of %(seats)s voting members are present; %(quorum)s must be "
                "before anything is decided."
            ) % {"present": len(self.voters), "seats": self.seats, "quorum": self.quorum})
        return problems


def presence(meeting: Meeting) -> Presence:
    members = list(
        Member.objects.active_on(meeting.date).filter(body_id=meeting.body_id)
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
