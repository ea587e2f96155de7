"""Who is told: candidates of a task, leaders of a unit, the reporter."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from org.roles import HSE_ADMIN, UNIT_LEADER, UNIT_SCOPED_ROLES


def _active_users() -> QuerySet:
    return get_user_model().objects.filter(is_active=True)


def allowed_to_handle(users, case) -> list:
    """Only people who may handle the case, for a process with its own access
    policy (a committee member the reporter excluded, or a leader who is the
    employee on sick leave, hears nothing). Generic processes: everyone given."""
    from cases.access import can_handle_case, restricted_process_ids

    if case.definition.process_id not in restricted_process_ids():
        return list(users)
    return [user for user in users if can_handle_case(user, case)]


def task_candidates(task) -> list:
    """Users who may claim an unclaimed task (HSE admins only for their own
    lane): the lane's group, in the task's unit for unit-scoped roles."""
    group = task.candidate_group
    if group is None:
        return []
    users = _active_users().filter(groups=group)
    if group.name in UNIT_SCOPED_ROLES:
        users = users.filter(unit_memberships__unit_id=task.case.unit_id)
    users = _without_disqualified(users, task.case_id)
    return allowed_to_handle(users.distinct(), task.case)


def _without_disqualified(users: QuerySet, case_id: int) -> QuerySet:
    """A party to the case (or someone who declared a conflict) is not told
    about its tasks: they may not take them (``cases.parties``)."""
    from cases.models import CaseParty

    return users.exclude(pk__in=CaseParty.objects.filter(case_id=case_id).values("user_id"))


def unit_leaders(unit_id: int | None) -> QuerySet:
    """The next line for overdue work: the unit's leaders, else HSE admins."""
    leaders = _active_users().filter(
        groups__name=UNIT_LEADER, unit_memberships__unit_id=unit_id
    ).distinct()
    if unit_id is not None and leaders.exists():
        return leaders
    return _active_users().filter(groups__name=HSE_ADMIN).distinct()


def role_holders(role: str, unit_id: int | None) -> QuerySet:
    """Active holders of a unit-scoped role in the unit (an overdue action's
    coordinators); the unit's leaders if nobody holds it there."""
    holders = _active_users().filter(
        groups__name=role, unit_memberships__unit_id=unit_id
    ).distinct()
    if unit_id is not None and holders.exists():
        return holders
    return unit_leaders(unit_id)


def hse_admins() -> QuerySet:
    return _active_users().filter(groups__name=HSE_ADMIN).distinct()
