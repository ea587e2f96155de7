"""The ``cases.escalate`` operation: overdue work goes to the next line."""

from django.utils import timezone

from cases import operations
from cases.models import EventKind, Task, TaskState
from cases.services.persistence import note_escalation, record_event


@operations.register("cases.escalate")
def escalate(*, case, reason: str, task_bpmn_id: str = "") -> dict:
    """Mark the case's open tasks (or those of one BPMN id) as escalated.

    Runs inside the step's transaction. Unit leaders see escalated tasks of
    their units in their queue; notifications pick up the ESCALATED event.
    """
    now = timezone.now()
    tasks = Task.objects.filter(case=case, state=TaskState.READY)
    if task_bpmn_id:
        tasks = tasks.filter(bpmn_id=task_bpmn_id)
    count = tasks.update(escalated_at=now)
    # Rows of tasks that became ready in this same step are created later.
    note_escalation(case, task_bpmn_id, now)
    record_event(case, EventKind.ESCALATED,
                 data={"reason": reason, "task": task_bpmn_id, "tasks": count})
    return {"escalated_at": now.isoformat(), "tasks": count}
