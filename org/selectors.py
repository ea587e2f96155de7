from django.contrib.auth.models import AbstractBaseUser

from org.models import Unit


def unit_ids_for_user(*, user: AbstractBaseUser) -> list[int]:
    """Ids of the units the user is a member of."""
    return list(user.unit_memberships.values_list("unit_id", flat=True))


def primary_unit_for_user(*, user: AbstractBaseUser) -> Unit | None:
    membership = (
        user.unit_memberships.select_related("unit").order_by("-primary", "id").first()
    )
    return membership.unit if membership else None


def user_role_names(*, user: AbstractBaseUser) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def unit_tree_ids(*, unit_id: int) -> set[int]:
    """The unit and every unit under it (departments of a faculty), one
    query per level of the tree."""
    ids, level = {unit_id}, {unit_id}
    while level:
        level = set(Unit.objects.filter(parent_id__in=level).values_list("pk", flat=True)) - ids
        ids |= level
    return ids


def members_among(*, usernames, unit_id: int) -> set[str]:
    """Which of ``usernames`` are active members of the unit or a unit under it."""
    from django.contrib.auth import get_user_model

    return set(
        get_user_model().objects.filter(
            username__in=set(usernames), is_active=True,
            unit_memberships__unit_id__in=unit_tree_ids(unit_id=unit_id),
        ).values_list("username", flat=True)
    )


def language_chosen(*, user) -> str | None:
    """The person's stored language if they chose one Varde speaks, else None
    (a value no longer in settings.LANGUAGES counts as no choice)."""
    from org.models import Profile
    from varde.languages import supported

    if user is None or not getattr(user, "pk", None):
        return None
    try:
        stored = user.profile.language
    except Profile.DoesNotExist:
        return None
    return supported(stored)


def language_of(*, user) -> str:
    """The language to write to this person in: their choice, else bokmål."""
    from django.conf import settings

    return language_chosen(user=user) or settings.LANGUAGE_CODE
