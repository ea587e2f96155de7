"""Counting a vote (forskrift § 3-16; aml. § 7-1): a simple majority of the
votes cast for or against decides; abstentions count for neither side; on
a tie the chair's vote decides (the casting vote)."""

from dataclasses import dataclass

from amu.exceptions import NoVotes, TieWithoutChair
from amu.models import Outcome, VoteChoice


@dataclass(frozen=True)
class Tally:
    votes_for: int
    votes_against: int
    votes_abstain: int
    outcome: str
    casting_vote: bool

    @property
    def minority(self) -> int:
        """Votes on the losing side."""
        return self.votes_against if self.outcome == Outcome.ADOPTED else self.votes_for


def count(choices: list[tuple[int, str]], *, chair_member_id: int | None) -> Tally:
    """``choices`` is [(member id, VoteChoice)] of the voting members."""
    votes_for = sum(1 for _m, choice in choices if choice == VoteChoice.FOR)
    votes_against = sum(1 for _m, choice in choices if choice == VoteChoice.AGAINST)
    votes_abstain = sum(1 for _m, choice in choices if choice == VoteChoice.ABSTAIN)
    if votes_for + votes_against == 0:
        raise NoVotes()
    casting = False
    if votes_for > votes_against:
        outcome = Outcome.ADOPTED
    elif votes_against > votes_for:
        outcome = Outcome.REJECTED
    else:
        chair_choice = dict(choices).get(chair_member_id) if chair_member_id else None
        if chair_choice == VoteChoice.FOR:
            outcome = Outcome.ADOPTED
        elif chair_choice == VoteChoice.AGAINST:
            outcome = Outcome.REJECTED
        else:
            raise TieWithoutChair()
        casting = True
    return Tally(votes_for, votes_against, votes_abstain, outcome, casting)
