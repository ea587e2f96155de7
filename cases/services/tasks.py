"""Task-level services: claim, unclaim, reassign, complete."""

import jsonschema
from django.db import transaction
from django.utils import timezone

from cases.access import can_reassign, can_work_on_task, is_candidate
from cases.exceptions import (
    FourEyesViolation,
    InvalidTaskData,
    NotAllowed,
    TaskAlreadyClaimed,
    TaskNotAvailable,
)
from cases.models import EventKind, Task, TaskState
from cases.services.persistence import (
    load_workflow,
    lock_case_of_task,
    record_event,
    save_error,
    save_workflow,
)
from cases.workflow.errors import WorkflowError
from cases.workflow.runtime import TaskNotReady
from forms.validation import validation_schema


def _lock_task(task_id: int) -> Task:
    """Lock the task's case (one writer per case), then read the task fresh.

    Two statements on purpose: every writer takes the case lock first, so
    the case is always locked before any task row (a lock on both in one
    statement can take them in the other order and deadlock), and the task
    read after the lock sees the last writer's commit.
    """
    case = lock_case_of_task(task_id)
    if case is None:
        raise TaskNotAvailable()
    task = Task.objects.select_related("candidate_group", "assignee").get(pk=task_id)
    task.case = case
    return task


def _check_four_eyes(actor, task: Task) -> None:
    if task.four_eyes_with and Task.objects.filter(
        case_id=task.case_id, bpmn_id=task.four_eyes_with, completed_by=actor
    ).exists():
        raise FourEyesViolation()


@transaction.atomic
def task_claim(*, actor, task_id: int) -> Task:
    task = _lock_task(task_id)
    if task.state != TaskState.READY:
        raise TaskNotAvailable()
    if task.assignee_id is not None:
        if task.assignee_id == actor.pk:
            return task
        raise TaskAlreadyClaimed()
    if not is_candidate(actor, task):
        raise NotAllowed()
    _check_four_eyes(actor, task)
    task.assignee = actor
    task.claimed_at = timezone.now()
    task.save(update_fields=["assignee", "claimed_at"])
    record_event(task.case, EventKind.CLAIMED, actor=actor, task=task)
    return task


@transaction.atomic
def task_unclaim(*, actor, task_id: int) -> Task:
    task = _lock_task(task_id)
    if task.state != TaskState.READY:
        raise TaskNotAvailable()
    if task.assignee_id != actor.pk and not can_reassign(actor, task):
        raise NotAllowed()
    task.assignee = None
    task.claimed_at = None
    task.save(update_fields=["assignee", "claimed_at"])
    record_event(task.case, EventKind.UNCLAIMED, actor=actor, task=task)
    return task


@transaction.atomic
def task_reassign(*, actor, task_id: int, assignee) -> Task:
    """A lead hands a task to a named person, who must be able to do it."""
    task = _lock_task(task_id)
    if task.state != TaskState.READY:
        raise TaskNotAvailable()
    if not can_reassign(actor, task):
        raise NotAllowed()
    if not is_candidate(assignee, task):
        raise NotAllowed(
            extra={"reason": "assignee_not_candidate", "assignee": assignee.get_username()}
        )
    _check_four_eyes(assignee, task)
    previous = task.assignee.get_username() if task.assignee else None
    task.assignee = assignee
    task.claimed_at = timezone.now()
    task.save(update_fields=["assignee", "claimed_at"])
    record_event(task.case, EventKind.REASSIGNED, actor=actor, task=task,
                 data={"from": previous, "to": assignee.get_username()})
    return task


def _validate(task: Task, data: dict) -> None:
    schema = task.case.definition.forms.get(task.form_name)
    if schema is None:
        return
    # The schema's x-required-if rules as JSON Schema if/then, so a step
    # completed without the web form is held to the same rules.
    validator = jsonschema.Draft202012Validator(validation_schema(schema))
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
    if errors:
        raise InvalidTaskData(
            extra={"errors": {".".join(map(str, e.path)) or "__all__": e.message for e in errors}}
        )


@transaction.atomic
def task_complete(*, actor, task_id: int, data: dict) -> Task:
    """Complete a ready user task with validated form data and run the engine
    to the next wait state. An engine error after the user's step keeps their
    input, puts the case in error and leaves it retryable."""
    task = _lock_task(task_id)
    if task.state != TaskState.READY:
        raise TaskNotAvailable()
    if not can_work_on_task(actor, task):
        raise TaskAlreadyClaimed() if task.assignee_id else NotAllowed()
    _check_four_eyes(actor, task)
    _validate(task, data)

    case = task.case
    wf = load_workflow(case)
    error = None
    try:
        wf.complete(task.spiff_id, data)
    except TaskNotReady:
        raise TaskNotAvailable() from None
    except WorkflowError as exc:
        error = exc

    task.state = TaskState.COMPLETED
    task.assignee = task.assignee or actor
    task.completed_by = actor
    task.completed_at = timezone.now()
    task.save(update_fields=["state", "assignee", "completed_by", "completed_at"])
    record_event(case, EventKind.COMPLETED, actor=actor, task=task,
                 data={"task": task.bpmn_id, "data": data})
    if error is not None:
        save_error(case, wf, error, actor=actor)
    else:
        save_workflow(case, wf, actor=actor)
    return task
