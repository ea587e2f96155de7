"""The ``cases.escalate`` operation: overdue work goes to the next line."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from cases import operations
from cases.calendar import OSLO
from cases.models import EventKind, Task, TaskState
from cases.services.persistence import note_escalation, record_event


@operations.register("cases.escalate")
def escalate(*, case, reason: str, task_bpmn_id: str = "", title_suffix: str = "",
             due_on: str = "", to_role: str = "") -> dict:
    """Mark the case's open tasks (or those of one BPMN id) as escalated.

    ``title_suffix`` and ``due_on`` (an ISO date) narrow it to one instance
    of a multi-instance task (a corrective action: its title and deadline).
    ``to_role``: tell the holders of that unit role in the case's unit (an
    action's coordinators) without escalating the task to the leader; the
    default is the unit leader, who sees escalated tasks in their queue.

    Runs inside the step's transaction; notifications pick up the ESCALATED
    event (``notifications.subscribers``).
    """
    now = timezone.now()
    tasks = Task.objects.filter(case=case, state=TaskState.READY)
    if task_bpmn_id:
        tasks = tasks.filter(bpmn_id=task_bpmn_id)
    if title_suffix:
        tasks = tasks.filter(title_suffix=title_suffix[:200])
    if due_on:
        start = datetime.combine(date.fromisoformat(due_on[:10]), time(0), tzinfo=OSLO)
        tasks = tasks.filter(due_at__gte=start, due_at__lt=start + timedelta(days=1))
    # The task rows meant, by id: the notice links the late one, not another
    # action that happens to share its title.
    ids = list(tasks.values_list("pk", flat=True)[:2])
    if to_role:
        count = tasks.count()
    else:
        count = tasks.update(escalated_at=now)
        # Rows of tasks that became ready in this same step are created later.
        note_escalation(case, task_bpmn_id, now, title_suffix=title_suffix[:200])
    data = {"reason": reason, "task": task_bpmn_id, "tasks": count}
    if title_suffix:
        data["title"] = title_suffix[:200]
        if len(ids) == 1:
            data["task_id"] = ids[0]
    if to_role:
        data["to_role"] = to_role
    record_event(case, EventKind.ESCALATED, data=data)
    return {"escalated_at": now.isoformat(), "tasks": count}
