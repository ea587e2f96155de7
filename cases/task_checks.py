"""Checks an app runs before one of its user tasks is completed.

A form schema sees only what was typed; some steps also depend on the case's
records (sick leave: a plan can be sent to NAV only when one exists). The
app that owns the process registers a check here, so ``cases`` imports no
app. A check reads (no writes) and raises ``InvalidTaskData`` with
``extra={"errors": {field: message}}`` so the message shows next to the
field; ``task_complete`` runs it inside its transaction, before the engine.
"""

from collections.abc import Callable

TaskCheck = Callable[..., None]

_checks: dict[tuple[str, str], TaskCheck] = {}


def register_task_check(process_id: str, bpmn_id: str, check: TaskCheck) -> None:
    """``check(case=..., task=..., data=...)`` before ``bpmn_id`` of ``process_id`` completes."""
    _checks[(process_id, bpmn_id)] = check


def run_task_check(task, data: dict) -> None:
    check = _checks.get((task.case.definition.process_id, task.bpmn_id))
    if check is not None:
        check(case=task.case, task=task, data=data)
