"""AMU's domain errors; views show ``message`` to the user."""

from django.utils.translation import gettext_lazy as _

from cases.exceptions import ApplicationError, NotAllowed


class NotSecretary(NotAllowed):
    default_message = _("Only the AMU secretary can do this.")


class NotAMember(NotAllowed):
    default_message = _("You are not a member of this body.")


class NotAVotingMember(NotAllowed):
    default_message = _("Only voting members vote.")


class NotTheChair(NotAllowed):
    default_message = _("Only the chair approves the minutes.")


class VotingClosed(ApplicationError):
    default_message = _("Voting on this case is not open.")


class TieWithoutChair(ApplicationError):
    default_message = _(
        "The vote is tied and the chair has not voted for or against: the chair's vote "
        "decides a tie."
    )


class NoVotes(ApplicationError):
    default_message = _("No votes have been cast.")


class MeetingLocked(ApplicationError):
    default_message = _("The minutes of this meeting are approved and can no longer be changed.")


class StepNotOpen(ApplicationError):
    default_message = _("The case is not at this step (any more).")


class InvalidInput(ApplicationError):
    """Field errors in ``extra["errors"]`` ({field: message})."""

    default_message = _("Please correct the errors below.")


class NotPresent(NotAllowed):
    default_message = _("Only members recorded as present vote.")


class SteppedAside(NotAllowed):
    default_message = _("A party to a case steps aside and does not vote on it.")


class CannotDecide(ApplicationError):
    """The meeting lacks a side or its quorum; ``message`` says which."""

    default_message = _("The meeting cannot decide: too few voting members are present.")


class MinutesContradictVotes(ApplicationError):
    """``extra["problems"]`` lists each contradiction."""

    default_message = _("The minutes contradict the votes and cannot be approved.")
