"""Queues and case lists: plain queries over the task mirror and case rows,
never scans of serialized workflow state."""

from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from cases.access import is_hse_admin, restricted_process_ids
from cases.models import Case, CaseEvent, EventKind, Task, TaskState
from cases.parties import exclude_disqualified
from org.roles import UNIT_CASE_ROLES, UNIT_SCOPED_ROLES


@dataclass(frozen=True)
class QueueFilters:
    severity: str = ""
    unit: str = ""
    category: str = ""
    overdue: bool = False


def _apply_filters(tasks: QuerySet, filters: QueueFilters | None, *, user) -> QuerySet:
    """The filters the queue form chose. Severity and categories are facts of
    a case that only its handlers see: a task on a case the user may not open
    (an action's owner: least privilege) never matches them, so filtering
    cannot tell the owner what the case's severity or categories are."""
    if filters is None:
        return tasks
    if filters.severity or filters.category:
        # One subquery, whatever the list's length (flat query count).
        tasks = tasks.filter(case__in=case_list_visible(user=user).values("pk"))
    if filters.severity:
        tasks = tasks.filter(case__severity=filters.severity)
    if filters.unit:
        tasks = tasks.filter(case__unit__code=filters.unit)
    if filters.category:
        tasks = tasks.filter(case__labels__key="categories", case__labels__value=filters.category)
    if filters.overdue:
        tasks = tasks.filter(due_at__lt=timezone.now())
    return tasks


def _open_tasks() -> QuerySet:
    return (
        Task.objects.filter(state=TaskState.READY)
        .exclude(case__definition__process_id__in=restricted_process_ids())
        .select_related("case", "case__unit", "candidate_group", "assignee")
    )


def _by_due(tasks: QuerySet) -> QuerySet:
    """Soonest due first, tasks without a due date last, on every database."""
    return tasks.order_by(F("due_at").asc(nulls_last=True), "created_at")


def task_queue_mine(*, user, filters: QueueFilters | None = None) -> QuerySet:
    """Open tasks assigned to the user, soonest due first."""
    return _by_due(_apply_filters(_open_tasks().filter(assignee=user), filters, user=user))


def task_queue_groups(*, user, filters: QueueFilters | None = None) -> QuerySet:
    """Unclaimed open tasks the user may claim: their groups, in their units."""
    tasks = _open_tasks().filter(assignee__isnull=True)
    if not is_hse_admin(user):
        role_names = list(user.groups.values_list("name", flat=True))
        unit_ids = list(user.unit_memberships.values_list("unit_id", flat=True))
        global_roles = [r for r in role_names if r not in UNIT_SCOPED_ROLES]
        scoped_roles = [r for r in role_names if r in UNIT_SCOPED_ROLES]
        tasks = tasks.filter(
            Q(candidate_group__name__in=global_roles)
            | Q(candidate_group__name__in=scoped_roles, case__unit_id__in=unit_ids)
        )
    tasks = exclude_disqualified(tasks, user)
    return _by_due(_apply_filters(tasks, filters, user=user).distinct())


def task_queue_escalated(*, user) -> QuerySet:
    """Escalated open tasks in the units a unit leader (or HSE admin) leads."""
    tasks = _open_tasks().filter(escalated_at__isnull=False)
    if not is_hse_admin(user):
        if not user.groups.filter(name="unit_leader").exists():
            return tasks.none()
        unit_ids = list(user.unit_memberships.values_list("unit_id", flat=True))
        tasks = tasks.filter(case__unit_id__in=unit_ids)
    return _by_due(tasks)


def case_list_reported_by(*, user) -> QuerySet:
    """The reporter's own cases ("my cases"); processes with their own access
    policy list their cases on their own pages."""
    return (
        Case.objects.filter(reporter=user)
        .exclude(definition__process_id__in=restricted_process_ids())
        .select_related("definition", "unit")
    )


def case_list_visible(*, user) -> QuerySet:
    """Every case the user may handle: all for HSE admins, else their units'
    cases and per-case grants (a task's owner sees the task, not the case)."""
    cases = Case.objects.select_related("definition", "unit").exclude(
        definition__process_id__in=restricted_process_ids()
    )
    if is_hse_admin(user):
        return cases
    role_names = set(user.groups.values_list("name", flat=True))
    condition = Q(pk__in=[])
    if role_names & UNIT_CASE_ROLES:
        unit_ids = list(user.unit_memberships.values_list("unit_id", flat=True))
        condition |= Q(unit_id__in=unit_ids)
    granted = get_objects_for_user(
        user, "cases.view_case", klass=Case, accept_global_perms=False, with_superuser=False
    ).values("pk")
    condition |= Q(pk__in=granted)
    return cases.filter(condition).distinct()


def case_list_in_error() -> QuerySet:
    """Generic cases in error; a restricted process shows its own to its handlers."""
    return (
        Case.objects.filter(status="error")
        .exclude(definition__process_id__in=restricted_process_ids())
        .select_related("definition", "unit")
    )


def case_timeline(*, case: Case, public_only: bool = False) -> QuerySet:
    events = CaseEvent.objects.filter(case=case).select_related("actor", "task")
    if public_only:
        events = events.filter(public=True)
    return events.order_by("at", "id")


def case_open_tasks(*, case: Case) -> QuerySet:
    return _by_due(
        Task.objects.filter(case=case, state=TaskState.READY).select_related(
            "candidate_group", "assignee"
        )
    )


def task_completion(*, task: Task) -> CaseEvent | None:
    """The event that completed the task (its submitted data), if it is done."""
    if task.state != TaskState.COMPLETED:
        return None
    return (
        CaseEvent.objects.filter(task=task, kind=EventKind.COMPLETED)
        .select_related("task").order_by("-pk").first()
    )
