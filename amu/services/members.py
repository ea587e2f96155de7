"""Keeping the ``amu_member`` group in step with the Member rows.

The Member rows decide what a member sees and may do; the group only lets
the navigation show AMU to current and future members. The HSE admin
maintains members in the Django admin, which calls this after each change.
"""

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from amu.models import Member
from amu.roles import AMU_MEMBER


@transaction.atomic
def member_roles_sync(*, user) -> bool:
    """Put the user in the member group while they have a current or coming
    term, and take them out when none is left. Returns membership."""
    today = timezone.localdate()
    seated = Member.objects.filter(user=user).filter(
        Q(term_end__isnull=True) | Q(term_end__gte=today)
    ).exists()
    group = Group.objects.get(name=AMU_MEMBER)
    if seated:
        user.groups.add(group)
    else:
        user.groups.remove(group)
    for attr in ("_amu_roles", "_varde_roles", "_varde_view_roles"):
        if hasattr(user, attr):
            delattr(user, attr)
    return seated


@transaction.atomic
def member_save(*, member: Member) -> Member:
    """Validate (one chair at a time, alternating sides, no vote for
    observers and the secretary) and save a seat."""
    member.full_clean()
    member.save()
    member_roles_sync(user=member.user)
    return member
