"""Task-level services: claim, unclaim, reassign, complete."""

from functools import lru_cache

import jsonschema
from django.utils import timezone

from cases.access import can_reassign, can_work_on_task, is_candidate, restricted_process_ids
from cases.exceptions import (
    Disqualified,
    FourEyesViolation,
    InvalidTaskData,
    NotAllowed,
    TaskAlreadyClaimed,
    TaskNotAvailable,
)
from cases.models import EventKind, ProcessDefinition, Task, TaskState
from cases.parties import is_barred_from_task
from cases.services import rows
from cases.services.persistence import (
    OPEN_TASKS,
    after_lock,
    case_service,
    load_workflow,
    record_event,
    save_error,
    save_workflow,
    spec_for,
)
from cases.task_checks import run_task_check
from cases.workflow.errors import WorkflowError
from cases.workflow.runtime import TaskNotReady
from forms.validation import validation_schema
from org.selectors import members_among


def _lock_task(task_id: int) -> Task:
    """Lock the task's case (one writer per case) and read the task fresh,
    with the case's open tasks (``OPEN_TASKS``) for the save."""
    case, task, open_tasks = rows.locked_case_with_tasks(task_id)
    if task is None:
        raise TaskNotAvailable()
    after_lock(case)
    case.__dict__[OPEN_TASKS] = open_tasks
    return task


def _check_four_eyes(actor, task: Task) -> None:
    if task.four_eyes_with and rows.task_completed_by(
        task.case_id, task.four_eyes_with, actor.pk
    ):
        raise FourEyesViolation()


def _check_not_disqualified(actor, task: Task) -> None:
    """A party to the case, or someone who declared a conflict, never handles
    it (forvaltningsloven § 6 (1) a); the party's own steps excepted."""
    if is_barred_from_task(actor, task):
        raise Disqualified()


@case_service
def task_claim(*, actor, task_id: int) -> Task:
    task = _lock_task(task_id)
    if task.state != TaskState.READY:
        raise TaskNotAvailable()
    if task.assignee_id is not None:
        if task.assignee_id == actor.pk:
            return task
        raise TaskAlreadyClaimed()
    _check_not_disqualified(actor, task)
    if not is_candidate(actor, task):
        raise NotAllowed()
    _check_four_eyes(actor, task)
    task.assignee = actor
    task.claimed_at = timezone.now()
    task.save(update_fields=["assignee", "claimed_at"])
    record_event(task.case, EventKind.CLAIMED, actor=actor, task=task)
    return task


@case_service
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


@case_service
def task_reassign(*, actor, task_id: int, assignee) -> Task:
    """A lead hands a task to a named person, who must be able to do it: a
    candidate for it, or for a task the process names its performer for,
    a member of the case's unit (``_may_be_named``)."""
    task = _lock_task(task_id)
    if task.state != TaskState.READY:
        raise TaskNotAvailable()
    if not can_reassign(actor, task):
        raise NotAllowed()
    if is_barred_from_task(assignee, task):
        raise Disqualified(
            extra={"reason": "assignee_disqualified", "assignee": assignee.get_username()}
        )
    if not (is_candidate(assignee, task) or _may_be_named(assignee, task)):
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


def _may_be_named(assignee, task: Task) -> bool:
    """A task whose performer the process names (a corrective action's owner,
    whom the plan may choose among the unit's people) may be handed to any
    active member of the case's unit or a unit under it, as the process could
    have named them; parties are refused before (``is_barred_from_task``)."""
    if not assignee.is_active or task.case.unit_id is None:
        return False
    if task.case.definition.process_id in restricted_process_ids():
        return False  # a process with its own access policy: its rules alone
    if task.bpmn_id not in spec_for(task.case.definition).named:
        return False
    return bool(members_among(usernames=[assignee.get_username()], unit_id=task.case.unit_id))


@lru_cache(maxsize=256)
def _validator(definition_id: int, content_hash: str, form_name: str):
    """The compiled validator of one form of one definition version (None
    without a schema). Keyed by content hash too: SQLite can give a
    rolled-back definition's id to a new one."""
    forms = ProcessDefinition.objects.values_list("forms", flat=True).get(pk=definition_id)
    schema = forms.get(form_name)
    if schema is None:
        return None
    # The schema's x-required-if rules as JSON Schema if/then, so a step
    # completed without the web form is held to the same rules.
    return jsonschema.Draft202012Validator(validation_schema(schema))


def _validate(task: Task, data: dict) -> None:
    definition = task.case.definition
    validator = _validator(definition.pk, definition.content_hash, task.form_name)
    if validator is None:
        return
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
    if errors:
        raise InvalidTaskData(
            extra={"errors": {".".join(map(str, e.path)) or "__all__": e.message for e in errors}}
        )


@case_service
def task_complete(*, actor, task_id: int, data: dict) -> Task:
    """Complete a ready user task with validated form data and run the engine
    to the next wait state. An engine error after the user's step keeps their
    input, puts the case in error and leaves it retryable."""
    task = _lock_task(task_id)
    if task.state != TaskState.READY:
        raise TaskNotAvailable()
    _check_not_disqualified(actor, task)
    if not can_work_on_task(actor, task):
        raise TaskAlreadyClaimed() if task.assignee_id else NotAllowed()
    _check_four_eyes(actor, task)
    _validate(task, data)
    run_task_check(task, data)

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
    if task.assignee_id is None:
        task.assignee = actor
    task.completed_by = actor
    task.completed_at = timezone.now()
    rows.update(task, ["state", "assignee", "completed_by", "completed_at"])
    record_event(case, EventKind.COMPLETED, actor=actor, task=task,
                 data={"task": task.bpmn_id, "data": data})
    if error is not None:
        save_error(case, wf, error, actor=actor)
    else:
        save_workflow(case, wf, actor=actor)
    return task
