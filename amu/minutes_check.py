"""Minutes that cannot contradict the votes.

Once votes are cast the outcome follows from them (with the chair's casting
vote on a tie); a case is decided by agreement only when nobody voted
against; a vote that was not unanimous has its minority view; the counts in
the minutes are the votes' own. The secretary cannot record a decision
that breaks these rules, and the chair cannot approve minutes that do (for
example minutes written before the rules were enforced).
"""

from django.utils.translation import gettext as _

from amu.exceptions import NoVotes, TieWithoutChair
from amu.models import AgendaItem, CaseKind, DecisionMethod, Outcome, VoteChoice
from amu.parties import amu_case_parties
from amu.presence import presence
from amu.voting import count


def item_problems(item: AgendaItem, *, chair_member_id: int | None) -> list[str]:
    """What in the item's recorded decision contradicts its votes."""
    if item.kind != CaseKind.DECISION or item.outcome in ("", Outcome.POSTPONED):
        return []
    label = item.number.label
    votes = [(v.member_id, v.choice) for v in item.votes.all()]
    against = sum(1 for _m, choice in votes if choice == VoteChoice.AGAINST)
    in_favour = sum(1 for _m, choice in votes if choice == VoteChoice.FOR)
    problems = []
    if item.method == DecisionMethod.CONSENSUS:
        if against:
            problems.append(_(
                "%(case)s: recorded as decided by agreement, but %(count)s voted against; "
                "the outcome follows the vote."
            ) % {"case": label, "count": against})
        elif in_favour and item.outcome == Outcome.REJECTED:
            problems.append(_(
                "%(case)s: recorded as not adopted by agreement, but the votes were for it."
            ) % {"case": label})
        return problems
    if item.method != DecisionMethod.VOTE:
        return problems
    try:
        tally = count(votes, chair_member_id=chair_member_id)
    except (NoVotes, TieWithoutChair) as exc:
        return [f"{label}: {exc.message}"]
    if item.outcome in (Outcome.ADOPTED, Outcome.REJECTED) and item.outcome != tally.outcome:
        problems.append(_(
            "%(case)s: the minutes say “%(recorded)s”, but the votes give “%(counted)s”."
        ) % {"case": label, "recorded": Outcome(item.outcome).label,
             "counted": Outcome(tally.outcome).label})
    if (item.votes_for, item.votes_against, item.votes_abstain) != (
        tally.votes_for, tally.votes_against, tally.votes_abstain
    ):
        problems.append(_(
            "%(case)s: the minutes give %(for)s for, %(against)s against and %(abstain)s "
            "abstentions, but the votes cast are %(cfor)s, %(cagainst)s and %(cabstain)s."
        ) % {"case": label, "for": item.votes_for, "against": item.votes_against,
             "abstain": item.votes_abstain, "cfor": tally.votes_for,
             "cagainst": tally.votes_against, "cabstain": tally.votes_abstain})
    if tally.minority and not item.minority_view.strip():
        problems.append(_(
            "%(case)s: the vote was not unanimous, but no minority view is recorded."
        ) % {"case": label})
    return problems


def minutes_problems(meeting) -> list[str]:
    """Every contradiction in a meeting's minutes; empty when they may be approved."""
    attendance = presence(meeting)
    items = list(
        meeting.items.select_related("number", "amu_case__case", "amu_case__incident_case")
        .prefetch_related("votes", "amu_case__conflicts__member").order_by("position", "id")
    )
    problems = []
    for item in items:
        aside = set(amu_case_parties(item.amu_case))
        if item.outcome and item.outcome != Outcome.POSTPONED:
            problems.extend(f"{item.number.label}: {blocker}"
                            for blocker in attendance.blockers(aside=aside))
        chair = attendance.chair(aside=aside)
        problems.extend(item_problems(item, chair_member_id=chair.pk if chair else None))
    return problems
