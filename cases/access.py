"""Who may see a case and act on a task: the one place these rules live.

Views get a case only through ``access_case``; a user without access gets 404,
never a hint that the case exists.

A process whose cases must not follow the generic staff rules (whistleblowing:
the committee alone; sick leave: the employee, leader, HR advisor and invited
BHT) registers an access policy for its process id. Its cases then leave every
generic list, and the policy alone decides who sees and handles them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.http import Http404
from guardian.core import ObjectPermissionChecker

from cases.models import Case, ProcessDefinition, Task, TaskState
from cases.parties import is_barred_from_task
from org.roles import HSE_ADMIN, LEAD_ROLES, UNIT_CASE_ROLES, UNIT_SCOPED_ROLES


def _roles(user) -> set[str]:
    cache = getattr(user, "_varde_roles", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._varde_roles = cache
    return cache


def _units(user) -> set[int]:
    cache = getattr(user, "_varde_units", None)
    if cache is None:
        cache = set(user.unit_memberships.values_list("unit_id", flat=True))
        user._varde_units = cache
    return cache


def is_hse_admin(user) -> bool:
    return bool(user.is_authenticated and HSE_ADMIN in _roles(user))


def acts_for_unit(user, unit_id: int | None, roles=None) -> bool:
    """The user holds one of ``roles`` (default: any unit-scoped role) and is
    a member of the unit."""
    roles = UNIT_SCOPED_ROLES if roles is None else roles
    return bool(unit_id and _roles(user) & roles and unit_id in _units(user))


@dataclass(frozen=True)
class AccessPolicy:
    can_view: Callable  # (user, case) -> bool
    can_handle: Callable  # (user, case) -> bool
    # (user, case, what) -> None: called each time a view gets one of the
    # process's cases through access_case/access_task, for processes whose
    # every read must be logged (sick leave). ``what`` is "case" or "task".
    on_read: Callable | None = None
    # (case) -> str: where the process's own UI shows a case (notification
    # links); None means the generic case page.
    url: Callable | None = None
    # (user, case) -> bool: whether the user may see the answers a form marks
    # ``"x-health-data": true`` (near-parking's sub-scores: the assessor and
    # the applicant only). None: everyone who sees the case sees them.
    can_read_health_data: Callable | None = None


_policies: dict[str, AccessPolicy] = {}


def register_access_policy(process_id: str, policy: AccessPolicy) -> None:
    _policies[process_id] = policy


def restricted_process_ids() -> list[str]:
    """Processes whose cases never appear in generic lists."""
    return list(_policies)


def case_url(case: Case) -> str:
    """Where a user opens this case: the process's own page, or the generic one."""
    from django.urls import reverse

    policy = _policy(case)
    if policy is not None and policy.url is not None:
        return policy.url(case)
    return reverse("cases:detail", args=[case.reference])


def can_read_case_health_data(user, case: Case) -> bool:
    """Whether form answers marked ``"x-health-data"`` are shown to the user
    (the case History, a completed task's answers)."""
    policy = _policy(case)
    if policy is None or policy.can_read_health_data is None:
        return True
    return bool(user is not None and user.is_authenticated
                and policy.can_read_health_data(user, case))


def _policy(case: Case) -> AccessPolicy | None:
    return _policies.get(case.definition.process_id) if _policies else None


def can_handle_case(user, case: Case) -> bool:
    """Staff access: HSE admin, staff of the case's unit or a grant. Being
    named for one task is not staff access (see ``is_task_owner``)."""
    if not user.is_authenticated or not user.is_active:
        return False
    policy = _policy(case)
    if policy is not None:
        return bool(policy.can_handle(user, case))
    if is_hse_admin(user) or acts_for_unit(user, case.unit_id, UNIT_CASE_ROLES):
        return True
    return has_case_grant(user, case)


def has_case_grant(user, case: Case) -> bool:
    """An object grant (django-guardian) of ``cases.view_case`` on this case.

    Not ``user.has_perm``: Django answers True for every active superuser and
    for a global ``view_case`` permission, and neither opens a case by
    Varde's rules. Superusers run the Django admin, not cases.
    """
    checker = ObjectPermissionChecker(user)
    return (
        checker.get_user_perms(case).filter(codename="view_case").exists()
        or checker.get_group_perms(case).filter(codename="view_case").exists()
    )


def cases_handled_among(user, cases) -> set[int]:
    """The ids of ``cases`` the user may handle (``can_handle_case``), with
    the grants read in one query for all of them: for lists, whose query
    count must not grow with their length."""
    if not user.is_authenticated or not user.is_active:
        return set()
    cases = list({case.pk: case for case in cases}.values())
    process_ids = dict(ProcessDefinition.objects.filter(
        pk__in={case.definition_id for case in cases}).values_list("pk", "process_id")
    ) if _policies and cases else {}
    handled, unsure = set(), []
    for case in cases:
        policy = _policies.get(process_ids.get(case.definition_id))
        if policy is not None:
            if policy.can_handle(user, case):
                handled.add(case.pk)
        elif is_hse_admin(user) or acts_for_unit(user, case.unit_id, UNIT_CASE_ROLES):
            handled.add(case.pk)
        else:
            unsure.append(case)
    if unsure and user.is_superuser:
        # guardian's checker grants a superuser everything; Varde does not.
        handled |= {case.pk for case in unsure if has_case_grant(user, case)}
    elif unsure:
        checker = ObjectPermissionChecker(user)
        checker.prefetch_perms(unsure)
        handled |= {case.pk for case in unsure if checker.has_perm("view_case", case)}
    return handled


def can_view_case(user, case: Case) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    policy = _policy(case)
    if policy is not None:
        return bool(policy.can_view(user, case))
    return case.reporter_id == user.pk or can_handle_case(user, case)


def access_case(user, reference: str, *, handle: bool = False) -> Case:
    """The case with this reference if the user may see it (or handle it); else 404."""
    case = Case.objects.select_related("definition", "unit", "reporter").filter(
        reference=reference
    ).first()
    allowed = case is not None and (
        can_handle_case(user, case) if handle else can_view_case(user, case)
    )
    if not allowed:
        raise Http404
    _note_read(user, case, "case")
    return case


def _note_read(user, case: Case, what: str) -> None:
    policy = _policy(case)
    if policy is not None and policy.on_read is not None:
        policy.on_read(user, case, what)


def can_work_on_task(user, task: Task) -> bool:
    """Claim or complete: the assignee, or a candidate-group member in scope."""
    if not user.is_authenticated or not user.is_active or task.state != TaskState.READY:
        return False
    if is_barred_from_task(user, task):
        return False
    if task.assignee_id is not None:
        return task.assignee_id == user.pk
    return is_candidate(user, task)


def receives_escalation(user, task: Task) -> bool:
    """Overdue work escalated to the next line: a lead (unit leader) of the
    task's unit may claim and complete it, not only reassign it."""
    return bool(
        task.escalated_at is not None
        and _roles(user) & LEAD_ROLES
        and acts_for_unit(user, task.case.unit_id)
    )


def is_candidate(user, task: Task) -> bool:
    if is_barred_from_task(user, task):
        return False
    policy = _policy(task.case)
    if policy is None and is_hse_admin(user):
        return True
    if policy is None and receives_escalation(user, task):
        return True
    group = task.candidate_group
    if group is None or group.name not in _roles(user):
        return False
    if group.name in UNIT_SCOPED_ROLES and not acts_for_unit(user, task.case.unit_id):
        return False
    return policy is None or bool(policy.can_handle(user, task.case))


def can_administer_case(user, case: Case) -> bool:
    """Cancel or retry: HSE admins, or whom the process's own policy lets handle it."""
    if not user.is_authenticated or not user.is_active:
        return False
    policy = _policy(case)
    if policy is not None:
        return bool(policy.can_handle(user, case))
    return is_hse_admin(user)


def can_reassign(user, task: Task) -> bool:
    """Leads reassign: an HSE admin anywhere, a unit leader within their units."""
    if not user.is_authenticated or task.state != TaskState.READY:
        return False
    policy = _policy(task.case)
    if policy is not None:
        return bool(policy.can_handle(user, task.case)) and bool(_roles(user) & LEAD_ROLES)
    if is_hse_admin(user):
        return True
    return bool(_roles(user) & LEAD_ROLES) and acts_for_unit(user, task.case.unit_id)


def is_task_owner(user, task: Task) -> bool:
    """Least privilege for a single task: the user named for it (its assignee,
    or who completed it) sees that task, not the case. Their open task they
    may complete; a done one stays readable as the history of their own work.
    Holds for every process's single-task assignee (an action's owner)."""
    return bool(
        user.is_authenticated and user.is_active
        and user.pk in (task.assignee_id, task.completed_by_id)
    )


def sees_task_only(user, task: Task) -> bool:
    """The task's owner, without any wider right to its case: they get the
    owner's view of the task (cases/task_owner.html), nothing else."""
    return is_task_owner(user, task) and not can_handle_case(user, task.case)


def access_task(user, task_id: int) -> Task:
    task = Task.objects.select_related("case", "case__definition", "case__unit",
                                       "candidate_group", "assignee").filter(pk=task_id).first()
    if task is None or not (can_view_case(user, task.case) or is_task_owner(user, task)):
        raise Http404
    _note_read(user, task.case, "task")
    return task


def forget_cached_roles(user: AbstractBaseUser) -> None:
    for attr in ("_varde_roles", "_varde_units"):
        if hasattr(user, attr):
            delattr(user, attr)
