"""Votes and decisions at a meeting.

A body first tries to agree; otherwise it votes, and only voting members
present vote (observers, the occupational health service, the students and
the secretary do not; a deputy votes for an absent member; a party to the
case steps aside). Nothing is decided without a member of each side and
the quorum present. The chair's vote decides a tie (the deputy chair's
when the chair is absent), and once votes are cast the outcome follows
from them: agreement only when nobody voted against. The minutes record the
majority and the minority view (forskrift § 3-16). The building arm decides
its cases itself, but a vote with dissent is internal disagreement, and the
case goes to AMU (the building arm's mandate); a case of principle may be
referred too.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from amu.access import is_secretary, membership
from amu.exceptions import (
    CannotDecide,
    InvalidInput,
    MeetingLocked,
    NotAMember,
    NotAVotingMember,
    NotPresent,
    NotSecretary,
    SteppedAside,
    VotingClosed,
)
from amu.minutes_check import item_problems
from amu.models import (
    AgendaItem,
    BodyKind,
    CaseKind,
    DecisionMethod,
    FollowUpAction,
    MeetingStatus,
    Member,
    Outcome,
    ReferralReason,
    Vote,
    VoteChoice,
)
from amu.parties import amu_case_parties
from amu.presence import presence
from amu.services.meetings import require_meeting_day
from amu.services.steps import complete_step
from amu.voting import count


@dataclass(frozen=True)
class ActionInput:
    title: str
    owner: object  # a user
    deadline: date


def _lock_item(item: AgendaItem) -> AgendaItem:
    locked = (
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("meeting", "meeting__body", "meeting__body__parent", "amu_case__case")
        .get(pk=item.pk)
    )
    return locked


def _require_meeting_in_session(item: AgendaItem) -> None:
    if item.meeting.status == MeetingStatus.APPROVED:
        raise MeetingLocked()
    if item.meeting.status != MeetingStatus.PUBLISHED:
        raise InvalidInput(_("Decisions are recorded at a meeting whose agenda is published."))
    if item.decided:
        raise InvalidInput(_("The case has already been decided at this meeting."))


def _require_can_decide(item: AgendaItem, *, for_the_case: bool = True) -> None:
    """On the meeting's day, a member of each side and the quorum present
    (attendance first); to decide the case, not counting those who step
    aside from it (opening the vote checks the meeting's attendance only)."""
    require_meeting_day(item.meeting)
    aside = set(amu_case_parties(item.amu_case)) if for_the_case else set()
    blockers = presence(item.meeting).blockers(aside=aside)
    if blockers:
        raise CannotDecide(" ".join(blockers))


def _chair_for(item: AgendaItem) -> Member | None:
    """Who chairs the case and has the casting vote: the deputy chair when
    the chair steps aside from it."""
    return presence(item.meeting).chair(aside=set(amu_case_parties(item.amu_case)))


@transaction.atomic
def voting_open(*, actor, item: AgendaItem, is_open: bool = True) -> AgendaItem:
    """The secretary opens (or closes) the vote on a decision case."""
    if not is_secretary(actor):
        raise NotSecretary()
    item = _lock_item(item)
    _require_meeting_in_session(item)
    if item.kind != CaseKind.DECISION:
        raise InvalidInput(_("Information cases are not voted on."))
    if is_open:
        _require_can_decide(item, for_the_case=False)
    item.voting_open = is_open
    item.save(update_fields=["voting_open"])
    return item


@transaction.atomic
def vote_cast(*, actor, item: AgendaItem, choice: str, member: Member | None = None) -> Vote:
    """A voting member votes; the secretary may record a member's vote given
    at the meeting (``member``). Anyone else is refused with the reason."""
    item = _lock_item(item)
    body = item.meeting.body
    if member is None:
        member = membership(actor, body, item.meeting.date)
        if member is None:
            raise NotAMember(
                _("You are not a member of %(body)s, so you cannot vote there.")
                % {"body": body.name}
            )
        if not item.voting_open:
            raise VotingClosed()
        whose = None
    else:
        if not is_secretary(actor):
            raise NotSecretary()
        if member.body_id != body.pk or not member.is_active_on(item.meeting.date):
            raise NotAMember(
                _("%(name)s is not a member of %(body)s.")
                % {"name": member.display_name, "body": body.name}
            )
        whose = member.display_name
    if not member.voting or member.observer:
        if whose is None:
            message = _("You sit on %(body)s without a vote: only voting members vote.")
        else:
            message = _("%(name)s sits on %(body)s without a vote: only voting members vote.")
        raise NotAVotingMember(message % {"body": body.name, "name": whose})
    _require_meeting_in_session(item)
    if item.kind != CaseKind.DECISION:
        raise InvalidInput(_("Information cases are not voted on."))
    if choice not in VoteChoice.values:
        raise InvalidInput(extra={"errors": {"choice": gettext("Choose for, against or abstain.")}})
    stands_in_for = _entitled_voter(item, member, whose)
    vote, _created = Vote.objects.update_or_create(
        item=item, member=member,
        defaults={"choice": choice, "recorded_by": actor, "for_member": stands_in_for},
    )
    return vote


def _entitled_voter(item: AgendaItem, member: Member, whose: str | None) -> Member | None:
    """Refuse a vote from a member not present, a deputy whose member is
    present, or a party to the case; returns the absent member a deputy
    votes for."""
    attendance = presence(item.meeting)
    if member.pk not in attendance.voters:
        if member.is_deputy and member.deputy_for_id in attendance.present_ids:
            message = _(
                "%(name)s is present, so their deputy does not vote."
            ) % {"name": member.deputy_for.display_name}
        elif whose is None:
            message = _("You are not recorded as present: only members present vote.")
        else:
            message = _("%(name)s is not recorded as present: only members present vote.") % {
                "name": whose}
        raise NotPresent(message)
    reason = amu_case_parties(item.amu_case).get(member.user_id)
    if reason:
        if whose is None:
            message = _("You step aside and do not vote on this case (%(reason)s).")
        else:
            message = _("%(name)s steps aside and does not vote on this case (%(reason)s).")
        raise SteppedAside(message % {"name": whose, "reason": reason})
    return attendance.stands_in_for(member)


def _check_actions(actions, outcome: str) -> None:
    if not actions:
        return
    if outcome not in (Outcome.ADOPTED, Outcome.NOTED):
        raise InvalidInput(
            extra={"errors": {"actions": gettext(
                "Follow-up actions belong to an adopted decision or an information case."
            )}}
        )
    today = timezone.localdate()
    for action in actions:
        if not action.title.strip() or action.owner is None or not action.owner.is_active:
            raise InvalidInput(extra={"errors": {"actions": gettext(
                "Every action needs a title and an active owner."
            )}})
        if action.deadline < today:
            raise InvalidInput(extra={"errors": {"actions": gettext(
                "A deadline cannot be in the past."
            )}})


def _outcome_for(item: AgendaItem, method: str, outcome: str, referral_reason: str):
    """(outcome, referral_reason, tally or None) after the rules of the body."""
    body = item.meeting.body
    if item.kind == CaseKind.INFORMATION:
        if outcome not in (Outcome.NOTED, Outcome.POSTPONED):
            raise InvalidInput(extra={"errors": {"outcome": gettext(
                "An information case is taken for information or postponed."
            )}})
        return outcome, "", None
    if outcome == Outcome.POSTPONED:
        return outcome, "", None
    votes = list(item.votes.values_list("member_id", "choice"))
    if method == DecisionMethod.VOTE:
        chair = _chair_for(item)
        tally = count(votes, chair_member_id=chair.pk if chair else None)
        if body.kind == BodyKind.BUILDING_ARM and tally.votes_against and body.parent_id:
            return Outcome.REFERRED, ReferralReason.DISAGREEMENT, tally
        if outcome == Outcome.REFERRED and body.parent_id:
            return Outcome.REFERRED, referral_reason or ReferralReason.PRINCIPLE, tally
        return tally.outcome, "", tally
    if method != DecisionMethod.CONSENSUS:
        raise InvalidInput(extra={"errors": {"method": gettext(
            "Choose whether the body agreed or voted."
        )}})
    if outcome not in (Outcome.ADOPTED, Outcome.REJECTED, Outcome.REFERRED):
        raise InvalidInput(extra={"errors": {"outcome": gettext("Choose the outcome.")}})
    against = sum(1 for _m, choice in votes if choice == VoteChoice.AGAINST)
    if against:
        raise InvalidInput(extra={"errors": {"method": gettext(
            "%(count)s voted against: the case was not decided by agreement, the votes "
            "decide it. Choose “Vote”."
        ) % {"count": against}}})
    if outcome == Outcome.REFERRED:
        if not body.parent_id:
            raise InvalidInput(extra={"errors": {"outcome": gettext(
                "%(body)s has no body to refer cases to."
            ) % {"body": body.name}}})
        if referral_reason not in ReferralReason.values:
            raise InvalidInput(extra={"errors": {"referral_reason": gettext(
                "Give the reason for the referral."
            )}})
    return outcome, referral_reason if outcome == Outcome.REFERRED else "", None


@transaction.atomic
def agenda_item_decide(
    *, actor, item: AgendaItem, method: str = "", outcome: str = "", decision_text: str = "",
    majority_view: str = "", minority_view: str = "", referral_reason: str = "",
    actions: list[ActionInput] = (),
) -> AgendaItem:
    """Record what the meeting decided on one case and move the case on
    (its "decide" step): follow-up actions go to their owners, a referred
    case to AMU's cases waiting for a meeting, a postponed one back to the
    body's."""
    if not is_secretary(actor):
        raise NotSecretary()
    item = _lock_item(item)
    _require_meeting_in_session(item)
    if outcome == Outcome.POSTPONED:
        require_meeting_day(item.meeting)
    else:
        _require_can_decide(item)
    outcome, referral_reason, tally = _outcome_for(item, method, outcome, referral_reason)
    decision_text, minority_view = decision_text.strip(), minority_view.strip()
    if outcome in (Outcome.ADOPTED, Outcome.REJECTED, Outcome.NOTED) and not decision_text:
        raise InvalidInput(extra={"errors": {"decision_text": gettext("Write the decision.")}})
    if tally is not None and tally.minority and not minority_view:
        raise InvalidInput(extra={"errors": {"minority_view": gettext(
            "The vote was not unanimous: record the minority's view."
        )}})
    _check_actions(actions, outcome)

    item.method = DecisionMethod.VOTE if tally is not None else (
        method if item.kind == CaseKind.DECISION and outcome != Outcome.POSTPONED else ""
    )
    item.outcome = outcome
    item.referral_reason = referral_reason
    item.decision_text = decision_text
    item.majority_view = majority_view.strip()
    item.minority_view = minority_view
    if tally is not None:
        item.votes_for, item.votes_against = tally.votes_for, tally.votes_against
        item.votes_abstain, item.casting_vote = tally.votes_abstain, tally.casting_vote
    else:
        choices = list(item.votes.values_list("choice", flat=True))
        item.votes_for = choices.count(VoteChoice.FOR)
        item.votes_against = choices.count(VoteChoice.AGAINST)
        item.votes_abstain = choices.count(VoteChoice.ABSTAIN)
    item.voting_open = False
    item.decided_at = timezone.now()
    item.decided_by = actor
    chair = _chair_for(item)
    problems = item_problems(item, chair_member_id=chair.pk if chair else None)
    if problems:
        raise InvalidInput(" ".join(problems))
    item.save()
    for action in actions:
        FollowUpAction.objects.create(
            amu_case=item.amu_case, agenda_item=item, title=action.title.strip()[:200],
            owner=action.owner, deadline=action.deadline,
        )
    complete_step(actor=actor, case=item.amu_case.case, bpmn_id="decide",
                  data={"decision_recorded": True})
    return item


@transaction.atomic
def agenda_item_revise(*, actor, item: AgendaItem, decision_text: str, majority_view: str,
                       minority_view: str) -> AgendaItem:
    """Correct the wording in the minutes until the chair approves them; the
    outcome and the votes stay as decided."""
    if not is_secretary(actor):
        raise NotSecretary()
    item = _lock_item(item)
    if item.meeting.status == MeetingStatus.APPROVED:
        raise MeetingLocked()
    if not item.decided:
        raise InvalidInput(_("Record the decision first."))
    if item.outcome in (Outcome.ADOPTED, Outcome.REJECTED, Outcome.NOTED) and not (
        decision_text.strip()
    ):
        raise InvalidInput(extra={"errors": {"decision_text": gettext("Write the decision.")}})
    if not minority_view.strip() and (item.votes_against and item.votes_for):
        raise InvalidInput(extra={"errors": {"minority_view": gettext(
            "The vote was not unanimous: record the minority's view."
        )}})
    item.decision_text = decision_text.strip()
    item.majority_view = majority_view.strip()
    item.minority_view = minority_view.strip()
    item.save(update_fields=["decision_text", "majority_view", "minority_view"])
    return item
