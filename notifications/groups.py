"""Channel-layer group names: who hears which live events.

A socket joins its user's group and the queue groups of the roles the user
holds (per unit for unit-scoped roles). Routing by group is the permission
filter: an event goes only to the groups allowed to see it.
"""

from org.roles import UNIT_SCOPED_ROLES


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def case_group(case_id: int) -> str:
    return f"case.{case_id}"


def queue_group(role: str, unit_id: int | None = None) -> str:
    if role in UNIT_SCOPED_ROLES:
        return f"queue.{role}.unit.{unit_id}"
    return f"queue.{role}"


def queue_groups_for_task(task) -> list[str]:
    """Groups whose members see this (unclaimed) task in their queue."""
    if task.candidate_group is None:
        return []
    groups = [queue_group(task.candidate_group.name, task.case.unit_id)]
    if task.candidate_group.name != "hse_admin":
        groups.append(queue_group("hse_admin"))  # admins see every queue
    return groups


def groups_for_user(user) -> list[str]:
    groups = [user_group(user.pk)]
    roles = list(user.groups.values_list("name", flat=True))
    unit_ids = list(user.unit_memberships.values_list("unit_id", flat=True))
    for role in roles:
        if role in UNIT_SCOPED_ROLES:
            groups += [queue_group(role, unit_id) for unit_id in unit_ids]
        else:
            groups.append(queue_group(role))
    return groups
