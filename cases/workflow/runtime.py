"""Load, run, complete and serialize one case's workflow.

Knows nothing of the database: ``cases.services`` hands it the definition's
cached spec and the case's state JSON, and stores what it returns.
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.specs.event_definitions.item_aware_event import SignalEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.util import BpmnEvent
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState

from cases.calendar import OSLO
from cases.workflow.errors import ScriptPolicyError, WorkflowError
from cases.workflow.scripting import make_engine
from cases.workflow.serialization import state_from_bytes, state_to_bytes
from cases.workflow.specs import FORM_PROPERTY, CachedSpec
from cases.workflow.timers import next_timer_due


class TaskNotReady(Exception):
    """The task is not a ready user task of this workflow (any more)."""


@dataclass(frozen=True)
class ReadyTask:
    spiff_id: str
    bpmn_id: str
    name: str
    lane: str | None
    form_name: str
    due: datetime | None
    assignee: str | None
    four_eyes_with: str | None
    data: dict
    title_suffix: str = ""


@dataclass(frozen=True)
class Snapshot:
    """What the services store after a step, read in one walk of the tree."""

    ready: list[ReadyTask]
    failed: list[str]
    completed: bool
    next_timer: datetime | None
    data: dict
    # Elements the engine left stuck (never ready, nothing in error): only
    # looked for when the case would otherwise wait with no user task.
    stuck: list[str] = ()


def _as_datetime(value) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=OSLO)
    if isinstance(value, date):
        return datetime.combine(value, time(16, 0), tzinfo=OSLO)
    return None


def _element_name(task) -> str:
    return task.task_spec.bpmn_id or task.task_spec.name


def _element_of(exc: Exception) -> tuple[str, str]:
    task = getattr(exc, "task", None)
    if task is None:
        return "", ""
    return getattr(task.task_spec, "bpmn_id", "") or task.task_spec.name, str(task.id)


def _mark_failed(task) -> None:
    """Put the task that raised in ERROR, as the engine does for a failed run.

    An error raised while a task is being readied (a multi-instance task
    checking its collections, a timer evaluating its date) leaves the task
    FUTURE under a finished parent: with nothing in error, a retry would find
    nothing to run and the case would wait for ever with no task.
    """
    if task is not None and task.has_state(TaskState.PREDICTED_MASK | TaskState.FUTURE):
        task._set_state(TaskState.ERROR)


def _is_stuck(task) -> bool:
    """Not yet ready although what comes before it has finished: the engine
    stopped while readying it (see ``_mark_failed``). Joins, events and
    subprocesses wait as WAITING or STARTED, never FUTURE."""
    parent = task.parent
    return (
        task.state == TaskState.FUTURE
        and parent is not None
        and parent.state == TaskState.COMPLETED
    )


def _engine_errors(func):
    """Turn anything the engine raises into WorkflowError naming the element."""

    def wrapper(self, *args, **kwargs):
        try:
            return func(self, *args, **kwargs)
        except (TaskNotReady, WorkflowError):
            raise
        except (SpiffWorkflowException, ScriptPolicyError, Exception) as exc:
            _mark_failed(getattr(exc, "task", None))
            element, task_id = _element_of(exc)
            if not element:
                failed = self.error_tasks()
                if failed:
                    element = _element_name(failed[0])
                    task_id = str(failed[0].id)
            message = str(exc).strip()
            cause = exc.__cause__ or exc.__context__
            if cause is not None and str(cause) not in message:
                # "Error evaluating expression ..." alone hides why it failed.
                message += f" ({cause.__class__.__name__}: {cause})"
            if isinstance(exc, WorkflowTaskException) and exc.error_line:
                message += f" (line {exc.line_number}: {exc.error_line})"
            raise WorkflowError(message, element_id=element, task_id=task_id) from exc

    return wrapper


class CaseWorkflow:
    def __init__(self, workflow: BpmnWorkflow, cached: CachedSpec):
        self.workflow = workflow
        self.cached = cached
        self._timer_fell_due = False
        # do_engine_steps refreshes timers only at its end: a timer that
        # falls due there is left READY, and needs one more pass. Noting it
        # saves the pass when none did (the instance attribute shadows the
        # method for this workflow only; it is not serialized).
        workflow.refresh_timers = self._refresh_timers

    def _refresh_timers(self) -> None:
        waiting = list(self.workflow.event_manager.tasks.values())
        BpmnWorkflow.refresh_timers(self.workflow)
        if any(t.state == TaskState.READY for t in waiting):
            self._timer_fell_due = True

    def _run_engine(self) -> None:
        """Run the engine's own tasks until only user tasks and waits are
        left, and once more if a timer fell due at the end. Not until none
        does: an overdue repeating timer would fire its every missed cycle in
        this one request; the rest wait for the case's next wake."""
        self._timer_fell_due = False
        self.workflow.do_engine_steps()
        if self._timer_fell_due:
            self.workflow.do_engine_steps()

    # -- construction -----------------------------------------------------------
    @classmethod
    def start(cls, cached: CachedSpec, data: dict, *, context: dict) -> "CaseWorkflow":
        workflow = BpmnWorkflow(
            cached.spec, cached.subprocess_specs, script_engine=make_engine(context)
        )
        # Initial data goes on the root task before the first engine step.
        workflow.task_tree.data.update(data)
        return cls(workflow, cached)

    @classmethod
    def load(cls, cached: CachedSpec, state: bytes, *, context: dict) -> "CaseWorkflow":
        workflow = state_from_bytes(state, cached.spec, cached.subprocess_specs)
        # The engine is not serialized: without this the default, unrestricted
        # engine would run the next script.
        workflow.script_engine = make_engine(context)
        return cls(workflow, cached)

    def keep_date_only(self, midnight: float) -> None:
        """Move every task's state-change time to ``midnight`` (a POSIX
        timestamp), a microsecond apart in their order, which the engine's
        joins rely on: the state then shows the day, not the time of day."""
        tasks = sorted(self.workflow.get_tasks(), key=lambda t: t.last_state_change)
        for index, task in enumerate(tasks):
            task.last_state_change = midnight + index / 1_000_000

    def serialize(self) -> bytes:
        return state_to_bytes(self.workflow)

    # -- running ----------------------------------------------------------------
    @_engine_errors
    def run(self) -> None:
        """Fire due timers, then run every non-manual task that is ready."""
        self.workflow.refresh_timers()
        self._run_engine()

    @_engine_errors
    def complete(self, spiff_id: str, data: dict) -> None:
        task = self._ready_user_task(spiff_id)
        properties = task.task_spec.extensions.get("properties", {})
        result_variable = properties.get("resultVariable")
        if result_variable:
            # The result starts from the multi-instance's item: the task's own
            # (a multi-instance user task), or the one named by resultBase (a
            # user task inside a multi-instance subprocess).
            item_name = properties.get("resultBase") or self._input_item_name(task)
            base = task.data.get(item_name) if item_name else None
            base = dict(base) if isinstance(base, dict) else {}
            task.data[result_variable] = {**base, **data}
        else:
            task.data.update(data)
        task.run()
        self._run_engine()

    @_engine_errors
    def retry(self) -> None:
        """Run the failed task again (after its cause was fixed): a task in
        ERROR, or one the engine left stuck before it was ready."""
        for task in self.error_tasks() or self.stuck_tasks():
            self.workflow.reset_from_task_id(task.id)
        self._run_engine()

    @_engine_errors
    def signal(self, name: str, payload: dict | None = None) -> bool:
        """Throw the BPMN signal ``name`` into the workflow from outside
        (an event the engine cannot see: "returned to work", "plan saved")
        and run what follows. The payload becomes data of the catching
        event. Returns False, changing nothing, if no element waits for it.
        """
        definition = self._waiting_signal(name)
        if definition is None:
            return False
        self.workflow.send_event(BpmnEvent(definition, payload=dict(payload or {})))
        self.workflow.refresh_timers()
        self._run_engine()
        return True

    def _waiting_signal(self, name: str):
        """The definition of a waiting catch event for signal ``name``.

        The parser's own signal class (spiff's subclass) must be thrown, as
        events match by exact class and name; an event-based gateway waits
        with a MultipleEventDefinition of its branches' events.
        """
        for task in self.workflow.get_tasks(state=TaskState.WAITING):
            definition = getattr(task.task_spec, "event_definition", None)
            candidates = (
                definition.event_definitions
                if isinstance(definition, MultipleEventDefinition)
                else [definition]
            )
            for candidate in candidates:
                if isinstance(candidate, SignalEventDefinition) and candidate.name == name:
                    return candidate
        return None

    def cancel(self) -> None:
        self.workflow.cancel()

    # -- reading ----------------------------------------------------------------
    def is_completed(self) -> bool:
        return self.workflow.is_completed()

    def snapshot(self) -> Snapshot:
        """Ready user tasks, failed elements, completion, the next timer and
        the current data, from one walk of the task tree."""
        tasks = self.workflow.get_tasks(
            state=TaskState.READY | TaskState.WAITING | TaskState.ERROR
        )
        completed = self.workflow.is_completed()
        ready = self._ready(tasks)
        failed = [_element_name(t) for t in tasks if t.state == TaskState.ERROR]
        stuck = (
            [] if completed or ready or failed
            else [_element_name(t) for t in self.stuck_tasks()]
        )
        return Snapshot(
            ready=ready,
            failed=failed,
            stuck=stuck,
            completed=completed,
            next_timer=None if completed else next_timer_due(
                t for t in tasks if t.state == TaskState.WAITING
            ),
            data=self._current_data(tasks, completed),
        )

    def error_tasks(self) -> list:
        return self.workflow.get_tasks(state=TaskState.ERROR)

    def stuck_tasks(self) -> list:
        """Tasks that should have become ready and did not (see ``_is_stuck``)."""
        return [t for t in self.workflow.get_tasks(state=TaskState.FUTURE) if _is_stuck(t)]

    def ready_tasks(self) -> list[ReadyTask]:
        return self._ready(self.workflow.get_tasks(state=TaskState.READY, manual=True))

    def current_data(self) -> dict:
        """Process data as it stands: the end result, or the newest task's data."""
        return self._current_data(
            self.workflow.get_tasks(state=TaskState.READY | TaskState.WAITING),
            self.workflow.is_completed(),
        )

    def _ready(self, tasks) -> list[ReadyTask]:
        ready = []
        for task in tasks:
            if task.state != TaskState.READY or not task.task_spec.manual:
                continue
            spec = task.task_spec
            properties = spec.extensions.get("properties", {})
            # The BPMN name is an English msgid, translated where it is shown;
            # the suffix (e.g. a corrective action's title) is user text.
            name = spec.bpmn_name or spec.bpmn_id
            suffix = self._evaluate(task, properties.get("titleSuffix"))
            assignee = self._evaluate(task, properties.get("assignee"))
            ready.append(
                ReadyTask(
                    spiff_id=str(task.id),
                    bpmn_id=spec.bpmn_id,
                    name=name[:200],
                    lane=self.cached.lanes.get(spec.bpmn_id),
                    form_name=properties.get(FORM_PROPERTY, ""),
                    due=_as_datetime(self._evaluate(task, properties.get("dueDate"))),
                    assignee=str(assignee) if assignee else None,
                    four_eyes_with=properties.get("fourEyesWith"),
                    data=dict(task.data),
                    title_suffix=str(suffix)[:200] if suffix else "",
                )
            )
        return ready

    def _current_data(self, tasks, completed: bool) -> dict:
        if completed:
            return dict(self.workflow.data)
        open_tasks = [t for t in tasks if t.state in (TaskState.READY, TaskState.WAITING)]
        candidates = [t for t in open_tasks if t.task_spec.manual] or open_tasks
        if candidates:
            return dict(max(candidates, key=lambda t: t.last_state_change).data)
        last = self.workflow.last_task
        return dict(last.data) if last is not None else {}

    def task_data(self, spiff_id: str) -> dict:
        return dict(self._ready_user_task(spiff_id).data)

    # -- helpers ----------------------------------------------------------------
    def _ready_user_task(self, spiff_id: str):
        try:
            task = self.workflow.get_task_from_id(UUID(spiff_id))
        except Exception:
            task = None
        if task is None or task.state != TaskState.READY or not task.task_spec.manual:
            raise TaskNotReady(spiff_id)
        return task

    @staticmethod
    def _input_item_name(task) -> str | None:
        parent = task.parent
        item = getattr(getattr(parent, "task_spec", None), "input_item", None)
        return getattr(item, "bpmn_id", None)

    def _evaluate(self, task, expression: str | None):
        if not expression:
            return None
        try:
            return self.workflow.script_engine.evaluate(task, expression)
        except Exception:  # a display hint must never break a step
            return None
