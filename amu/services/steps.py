"""Completing an amu_case step from the meeting pages.

The agenda and minutes pages are where the secretary schedules a case and
records a decision; the matching BPMN user task ("schedule", "decide") is
completed here through ``cases.services``, in the caller's transaction.
"""

from amu.exceptions import StepNotOpen
from cases.models import Case, Task, TaskState
from cases.services import task_claim, task_complete


def open_step(case: Case, bpmn_id: str) -> Task | None:
    return Task.objects.filter(case=case, bpmn_id=bpmn_id, state=TaskState.READY).first()


def complete_step(*, actor, case: Case, bpmn_id: str, data: dict) -> Task:
    """Claim the ready task if nobody has, then complete it with ``data``.

    A task claimed by another secretary stays theirs: task_complete refuses
    with TaskAlreadyClaimed, which the page shows.
    """
    task = open_step(case, bpmn_id)
    if task is None:
        raise StepNotOpen()
    if task.assignee_id is None:
        task_claim(actor=actor, task_id=task.pk)
    return task_complete(actor=actor, task_id=task.pk, data=data)
