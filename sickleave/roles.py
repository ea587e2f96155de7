"""The roles of sick-leave follow-up and who holds them for a unit.

The leader is the existing ``unit_leader`` role. HR advisors are unit-scoped
like leaders; the occupational health service (BHT) is global but sees a case
only while invited to it (``BhtInvitation``).
"""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from org.roles import UNIT_LEADER, register_role

HR_ADVISOR = "hr_advisor"
OCCUPATIONAL_HEALTH = "occupational_health"


def register_roles() -> None:
    register_role(HR_ADVISOR, _("HR advisor"), unit_scoped=True)
    register_role(OCCUPATIONAL_HEALTH, _("Occupational health service (BHT)"))


def _roles(user) -> set[str]:
    cached = getattr(user, "_sickleave_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._sickleave_roles = cached
    return cached


def _units(user) -> set[int]:
    cached = getattr(user, "_sickleave_units", None)
    if cached is None:
        cached = set(user.unit_memberships.values_list("unit_id", flat=True))
        user._sickleave_units = cached
    return cached


def has_role(user, role: str) -> bool:
    return bool(user.is_authenticated and user.is_active and role in _roles(user))


def units_with_role(user, role: str) -> set[int]:
    """The units the user holds ``role`` for (a unit-scoped role)."""
    return _units(user) if has_role(user, role) else set()


def is_leader_for(user, unit_id: int | None) -> bool:
    return bool(unit_id) and unit_id in units_with_role(user, UNIT_LEADER)


def is_hr_for(user, unit_id: int | None) -> bool:
    return bool(unit_id) and unit_id in units_with_role(user, HR_ADVISOR)


def _holders(role: str, unit_id: int) -> QuerySet:
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=role, unit_memberships__unit_id=unit_id)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def leaders_of(unit_id: int) -> QuerySet:
    return _holders(UNIT_LEADER, unit_id)


def hr_advisors_of(unit_id: int) -> QuerySet:
    return _holders(HR_ADVISOR, unit_id)


def bht_users() -> QuerySet:
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=OCCUPATIONAL_HEALTH)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def forget_cached_roles(user) -> None:
    for attr in ("_sickleave_roles", "_sickleave_units"):
        if hasattr(user, attr):
            delattr(user, attr)
