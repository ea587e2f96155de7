"""Load a locked case's workflow and store it back with its task mirror.

Internal to ``cases.services``: callers hold the case row lock and an open
transaction.
"""

import functools
import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from cases import events, jobs, parties
from cases.models import (
    STEP_SEPARATOR,
    Case,
    CaseEvent,
    CaseLabel,
    CaseStatus,
    EventKind,
    ProcessDefinition,
    Task,
    TaskState,
)
from cases.services import rows
from cases.services.party_records import parties_record
from cases.workflow.runtime import CaseWorkflow
from cases.workflow.specs import cached_spec

logger = logging.getLogger(__name__)

# Workflow data keys copied to CaseLabel rows so queues can filter on them.
LABEL_KEYS = ("categories", "incident_type")


def lock_case(case_id: int, *, missing_ok: bool = False) -> Case | None:
    """Lock the case and have this transaction's events delivered at commit.

    The lock is on the case row alone (on PostgreSQL, locking the joined
    definition row too would make every step of every case of one process
    wait for each other). ``missing_ok``: None for a case that no longer
    exists (purged after a job for it was queued) instead of DoesNotExist.
    """
    case = rows.locked_case(case_id=case_id)
    if case is None:
        if missing_ok:
            return None
        raise Case.DoesNotExist(case_id)
    return after_lock(case)


def case_service(func):
    """``transaction.atomic`` for a case service, which at its end writes the
    events it recorded and hands them to the in-transaction subscribers (the
    notification job), inside its transaction."""

    @functools.wraps(func)
    def service(*args, **kwargs):
        with transaction.atomic(), events.service_scope():
            result = func(*args, **kwargs)
            write_events()
            events.flush_in_transaction()
        return result

    return service


def after_lock(case: Case) -> Case:
    """Every service calls this once it holds the case lock: the events it
    records are delivered when its transaction commits."""
    events.deliver_after_commit(case)
    return case


def spec_for(definition: ProcessDefinition):
    """The parsed spec of one definition version, cached per process.

    Keyed by id and content hash: an id alone can come back with other content
    (SQLite reuses the ids of rolled-back rows).
    """
    return cached_spec(
        (definition.pk, definition.content_hash),
        lambda: ProcessDefinition.objects.values_list("spec_json", flat=True).get(
            pk=definition.pk
        ),
    )


def load_workflow(case: Case) -> CaseWorkflow:
    return CaseWorkflow.load(spec_for(case.definition), case.state, context={"case": case})


def _labels(data: dict) -> set[tuple[str, str]]:
    wanted = set()
    for key in LABEL_KEYS:
        value = data.get(key)
        values = value if isinstance(value, list) else [value]
        wanted |= {(key, str(v)[:100]) for v in values if v not in (None, "")}
    return wanted


def record_event(case: Case, kind: str, *, actor=None, task=None, data=None, public=False):
    """Add an event to the case's audit trail. On a case the running service
    locked, the row is written with the service's other events at its end
    (``write_events``); otherwise at once."""
    event = CaseEvent(case=case, kind=kind, actor=actor, task=task, data=data or {},
                      public=public)
    if not events.in_service(case):
        rows.insert(event)
    events.record(case, event)
    return event


def write_events() -> None:
    """Write the events recorded on the running service's cases, one
    statement per case. Events of a savepoint that rolled back were dropped
    from the case (``events.discard_since``) and are not written."""
    for case in events.service_cases():
        rows.insert_many(events.unsaved(case))


# Shown to HSE administrators like the engine's own (English) messages.
STUCK_MESSAGE = "The process stopped before this element without an error; retry it."


def _status_for(snapshot) -> str:
    if snapshot.completed:
        return CaseStatus.COMPLETED
    return CaseStatus.RUNNING if snapshot.ready else CaseStatus.WAITING


def _user_id(username: str | None) -> int | None:
    return rows.active_user_id(username) if username else None


def _mirror_routing_fields(case: Case, data: dict, *, actor) -> None:
    unit_code = data.get("unit")
    if unit_code and (case.unit is None or case.unit.code != unit_code):
        unit = rows.unit_by_code(unit_code)
        if unit is not None:
            if case.unit_id is not None:
                record_event(
                    case, EventKind.TRANSFERRED, actor=actor,
                    data={"from": case.unit.code, "to": unit.code}, public=True,
                )
            case.unit = unit
    # A step never clears a field: data read from an earlier task (after a
    # failure or retry) may lack the key, and a blank severity would count a
    # critical case as "not yet categorised".
    severity = data.get("severity")
    if isinstance(severity, str) and severity:
        case.severity = severity
    outcome = data.get("outcome")
    if isinstance(outcome, str):
        case.outcome = outcome

    wanted = _labels(data)
    # The labels as stored: read with the locked case, empty for a new one.
    existing = case.__dict__.get(rows.LABELS)
    if existing is None:
        existing = rows.case_labels(case.pk)
    if wanted != existing:
        if existing:
            CaseLabel.objects.filter(case=case).delete()
        rows.insert_many([CaseLabel(case=case, key=k, value=v) for k, v in sorted(wanted)])
    case.__dict__[rows.LABELS] = wanted


def note_escalation(case: Case, task_bpmn_id: str, at: datetime, *,
                    title_suffix: str = "") -> None:
    """Remember an escalation for task rows this step has not created yet.

    A timer that is already due when its task becomes ready (a critical
    report after 16:00) fires in the same engine step, before
    ``save_workflow`` mirrors the task: the row must still come out escalated.
    ``task_bpmn_id`` "" means every task; ``title_suffix`` narrows it to
    the instance with that title.
    """
    case.__dict__.setdefault("_escalations_in_step", []).append(
        (task_bpmn_id, title_suffix, at)
    )


def _escalated_at(case: Case, bpmn_id: str, title_suffix: str) -> datetime | None:
    for task_bpmn_id, suffix, at in case.__dict__.get("_escalations_in_step", ()):
        if task_bpmn_id in ("", bpmn_id) and suffix in ("", title_suffix):
            return at
    return None


# On a locked case: its ready task rows as read under the lock, kept current
# by the service that read them (``tasks._lock_task``), so the save need not
# read them again.
OPEN_TASKS = "_open_tasks"


def _open_task_rows(case: Case) -> list[Task]:
    known = case.__dict__.pop(OPEN_TASKS, None)
    if known is None:
        return rows.open_tasks(case.pk)
    return [t for t in known if t.state == TaskState.READY]


def _sync_tasks(case: Case, ready: list, *, actor, after_error: bool = False) -> list[Task]:
    """Mirror the ready user tasks into Task rows; returns the new rows."""
    open_rows = {t.spiff_id: t for t in _open_task_rows(case)}
    ready_ids = {r.spiff_id for r in ready}
    new_ids = [r.spiff_id for r in ready if r.spiff_id not in open_rows]
    # A retry can make a completed user task ready again (its postScript
    # failed); otherwise a ready task is always a new workflow task.
    closed_rows = (
        {t.spiff_id: t for t in Task.objects.filter(case=case, spiff_id__in=new_ids)}
        if new_ids and after_error else {}
    )
    gone = [row.pk for sid, row in open_rows.items() if sid not in ready_ids]
    if gone:
        Task.objects.filter(pk__in=gone).update(state=TaskState.CANCELLED)
    created = []
    barred = _disqualified_for_new_tasks(case, ready, open_rows)
    for r in ready:
        row = open_rows.get(r.spiff_id)
        if row is not None:
            if row.due_at != r.due:
                row.due_at = r.due
                row.save(update_fields=["due_at"])
            continue
        row = closed_rows.get(r.spiff_id)
        if row is not None:
            # The same workflow task is open again: a retry reset a user task
            # that failed on completion (e.g. in its postScript).
            row.state = TaskState.READY
            row.completed_by = row.completed_at = None
            row.due_at = r.due
            row.save(update_fields=["state", "completed_by", "completed_at", "due_at"])
            record_event(case, EventKind.TASK_READY, actor=actor, task=row,
                         data={"task": r.bpmn_id, "name": r.name, "reopened": True})
            created.append(row)
            continue
        assignee_id = _user_id(r.assignee)
        if assignee_id in barred and r.bpmn_id not in _own_steps(case):
            assignee_id = None  # a party is never assigned: the task goes to the group
        row = rows.insert_task(Task(
            case=case, spiff_id=r.spiff_id, bpmn_id=r.bpmn_id, name=r.name,
            title_suffix=r.title_suffix,
            lane=r.lane or "", assignee_id=assignee_id,
            form_name=r.form_name, due_at=r.due, four_eyes_with=r.four_eyes_with or "",
            claimed_at=timezone.now() if assignee_id else None,
            escalated_at=_escalated_at(case, r.bpmn_id, r.title_suffix),
        ), group_name=r.lane)
        # A named owner (e.g. of a corrective action) gets no grant on the
        # case: they see their own task only (cases.access.is_task_owner).
        record_event(case, EventKind.TASK_READY, actor=actor, task=row,
                     data={"task": r.bpmn_id, "name": r.name})
        created.append(row)
    case.__dict__.pop("_escalations_in_step", None)
    return created


def _disqualified_for_new_tasks(case: Case, ready: list, open_rows: dict) -> set[int]:
    """When the step creates tasks: record the parties the process names
    (``cases.parties``) and return everyone disqualified from the case."""
    new = [r for r in ready if r.spiff_id not in open_rows]
    if not new or parties.hook_for(case.definition.process_id) is None:
        return set()
    # Who declared a conflict matters only for a task the workflow assigns.
    return parties_record(case, new[0].data, with_declared=any(r.assignee for r in new))


def _own_steps(case: Case) -> frozenset[str]:
    hook = parties.hook_for(case.definition.process_id)
    return hook.own_steps if hook is not None else frozenset()


def save_workflow(case: Case, wf: CaseWorkflow, *, actor=None) -> Case:
    """Store state, status, timers, routing fields and the task mirror.

    A task that failed in another branch and was not retried yet keeps the
    case in error (with its message), even while users finish other tasks.
    """
    snapshot = wf.snapshot()
    ready = snapshot.ready
    previous_status = case.status
    case.state = wf.serialize()
    if snapshot.failed:
        case.status = CaseStatus.ERROR
        if case.error_element not in snapshot.failed:
            case.error_element = snapshot.failed[0][:200]
    elif snapshot.stuck:
        # Never "waiting" with no task and no error: nobody could act on it.
        case.status = CaseStatus.ERROR
        case.error_element = snapshot.stuck[0][:200]
        case.error_message = STUCK_MESSAGE
        record_event(case, EventKind.ERROR, actor=actor,
                     data={"element": case.error_element, "message": STUCK_MESSAGE})
    else:
        case.status = _status_for(snapshot)
        case.error_element = case.error_message = ""
    case.next_timer_at = snapshot.next_timer if case.status != CaseStatus.COMPLETED else None
    case.current_step = _current_step(ready)
    _mirror_routing_fields(case, snapshot.data, actor=actor)
    if case.status == CaseStatus.COMPLETED and case.closed_at is None:
        case.closed_at = timezone.now()
    _schedule_wake(case)
    rows.update(case)
    _sync_tasks(case, ready, actor=actor, after_error=previous_status == CaseStatus.ERROR)
    if case.status != previous_status:
        record_event(case, EventKind.STATUS, actor=actor,
                     data={"from": previous_status, "to": case.status, "outcome": case.outcome},
                     public=True)
    return case


def save_error(case: Case, wf: CaseWorkflow, error, *, actor=None) -> Case:
    """Keep the failed workflow (its failing task in ERROR) and show the error.

    User tasks ready in other branches are mirrored as usual, so the task rows
    always match the workflow and that work can go on until the retry.
    """
    ready = wf.ready_tasks()
    case.state = wf.serialize()
    case.status = CaseStatus.ERROR
    case.error_element = error.element_id[:200]
    case.error_message = error.message
    case.current_step = _current_step(ready)
    # What the user's step decided (a triage's severity, a transfer) holds
    # even when a later element of the same run fails: a case in error must
    # not count as "not yet categorised" until the retry.
    _mirror_routing_fields(case, wf.current_data(), actor=actor)
    rows.update(case)
    _sync_tasks(case, ready, actor=actor, after_error=True)
    logger.warning("Case %s failed at %s: %s", case.reference, error.element_id, error.message)
    record_event(case, EventKind.ERROR, actor=actor,
                 data={"element": error.element_id, "message": error.message})
    return case


def _current_step(ready: list) -> str:
    return STEP_SEPARATOR.join(sorted({r.name for r in ready}))[:300]


def _schedule_wake(case: Case) -> None:
    """Enqueue one background wake-up at the next timer's due time.

    Only when the due time changed: the job for an earlier time still runs,
    finds nothing due, and returns. No job scans every case. The job commits
    (or rolls back) with the case's own transaction: see cases.jobs.
    """
    due: datetime | None = case.next_timer_at
    if due is None or due == case.wake_scheduled_for:
        return
    case.wake_scheduled_for = due
    from cases.tasks import wake_case

    jobs.enqueue_in_transaction(wake_case, case.pk, run_after=due)
