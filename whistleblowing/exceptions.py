"""Errors of the whistleblowing services; views show ``message``."""

from django.utils.translation import gettext_lazy as _

from cases.exceptions import ApplicationError


class ReceiptNotAccepted(ApplicationError):
    """One message for every wrong, unknown, mutated or malformed receipt."""

    default_message = _(
        "We could not open a report with this receipt. Check what you typed and try again."
    )


class KeyLocked(ApplicationError):
    default_message = _(
        "Your password no longer unlocks your key (it was probably reset by an "
        "administrator). Enter your recovery key to unlock it and choose a new password."
    )


class RecoveryKeyWrong(ApplicationError):
    default_message = _("The recovery key does not unlock your key.")


class ChannelNotReady(ApplicationError):
    default_message = _(
        "The committee's channel cannot receive reports right now: fewer than two "
        "committee members have set up their keys. Please use one of the alternatives below."
    )


class NoAccess(ApplicationError):
    default_message = _("You have no access to this case.")


class TooLarge(ApplicationError):
    default_message = _("The attachments are too large.")


class NoDecisionMaker(ApplicationError):
    default_message = _(
        "No decision-maker has set up a key yet, so the recommendation cannot be released."
    )


class TextRequired(ApplicationError):
    default_message = _("Write the text before you complete this step.")


class SecondMemberRequired(ApplicationError):
    default_message = _(
        "Revealing the reporter's identity needs two members: another member who holds the "
        "case must approve the request first."
    )


class MemberExcluded(ApplicationError):
    default_message = _(
        "This member is excluded from the case. An exclusion can never be undone."
    )


class LastMember(ApplicationError):
    default_message = _(
        "This is the last member who holds the case; it cannot be removed, or nobody could "
        "open the case again."
    )


class ExclusionNeedsSecondMember(ApplicationError):
    default_message = _(
        "Excluding another member needs two members: the exclusion is proposed, and a "
        "second member who holds the case, not the one concerned, must approve it."
    )


class LastDecisionMaker(ApplicationError):
    default_message = _(
        "This is the only decision-maker left for this case: without one, the employer "
        "would never hear of it. Ask the employer to enrol another decision-maker first, "
        "then exclude this one."
    )


class NotWhistleblowingSecondMember(ApplicationError):
    default_message = _(
        "Closing a report as not a whistleblowing matter needs a second member: another "
        "member than the one who assessed it must confirm."
    )
