"""Who is told: candidates of a task, leaders of a unit, the reporter."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from org.roles import HSE_ADMIN, UNIT_LEADER, UNIT_SCOPED_ROLES


def _active_users() -> QuerySet:
    return get_user_model().objects.filter(is_active=True)


def task_candidates(task) -> list:
    """Users who may claim an unclaimed task (HSE admins only for their own
    lane), filtered by the process's own access policy where it has one (a
    committee member the reporter excluded hears nothing)."""
    from cases.access import is_candidate

    group = task.candidate_group
    if group is None:
        return []
    users = _active_users().filter(groups=group)
    if group.name in UNIT_SCOPED_ROLES:
        users = users.filter(unit_memberships__unit_id=task.case.unit_id)
    return [user for user in users.distinct() if is_candidate(user, task)]


def unit_leaders(unit_id: int | None) -> QuerySet:
    """The next line for overdue work: the unit's leaders, else HSE admins."""
    leaders = _active_users().filter(
        groups__name=UNIT_LEADER, unit_memberships__unit_id=unit_id
    ).distinct()
    if unit_id is not None and leaders.exists():
        return leaders
    return _active_users().filter(groups__name=HSE_ADMIN).distinct()


def hse_admins() -> QuerySet:
    return _active_users().filter(groups__name=HSE_ADMIN).distinct()
