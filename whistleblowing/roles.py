"""The two roles of the channel: their Django groups are the BPMN lanes."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

COMMITTEE = "whistleblowing_committee"
DECISION_MAKER = "whistleblowing_decision_maker"


def register() -> None:
    from org.roles import register_role

    register_role(COMMITTEE, _("Whistleblowing committee member"))
    register_role(DECISION_MAKER, _("Whistleblowing decision-maker (employer)"))


def role_of(user) -> str | None:
    """The channel role of an active, non-superuser account; None otherwise.

    ``is_superuser`` grants nothing here: an administrator account cannot act
    in the channel at all, even if added to the groups.
    """
    from whistleblowing.models import HolderRole

    if not user.is_authenticated or not user.is_active or user.is_superuser:
        return None
    names = set(user.groups.filter(name__in=(COMMITTEE, DECISION_MAKER))
                .values_list("name", flat=True))
    if COMMITTEE in names:
        return HolderRole.COMMITTEE
    if DECISION_MAKER in names:
        return HolderRole.DECISION_MAKER
    return None


def committee_users():
    return get_user_model().objects.filter(
        is_active=True, is_superuser=False, groups__name=COMMITTEE
    ).distinct()
