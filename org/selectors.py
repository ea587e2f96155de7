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
