"""Case-level services: start, wake (timers), cancel, retry, grant access."""

import logging
import secrets
from datetime import datetime, time

from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from guardian.shortcuts import assign_perm

from cases import events
from cases.access import can_administer_case
from cases.calendar import OSLO
from cases.exceptions import CaseClosed, CaseNotRetryable, NoDefinition, NotAllowed
from cases.models import (
    Case,
    CaseEvent,
    CaseStatus,
    EventKind,
    ProcessDefinition,
    Task,
    TaskState,
)
from cases.services import rows
from cases.services.persistence import (
    case_service,
    load_workflow,
    lock_case,
    record_event,
    save_error,
    save_workflow,
    spec_for,
)
from cases.workflow.errors import WorkflowError
from cases.workflow.runtime import CaseWorkflow
from org.models import Unit

logger = logging.getLogger(__name__)


def latest_definition(process_id: str) -> ProcessDefinition:
    """The newest version of a process (its large columns loaded on access)."""
    definition = rows.latest_definition(process_id)
    if definition is None:
        raise NoDefinition()
    return definition


# References drawn at random (``case_start(unordered_reference=True)``) take
# six-digit numbers; the yearly counter's five-digit ones stay below them.
UNORDERED_FIRST, UNORDERED_SPAN = 100_000, 900_000


def _next_reference(prefix: str) -> str:
    year = timezone.localdate().year
    while True:
        number = rows.next_reference_number(prefix, year)
        reference = f"{prefix}-{year}-{number:05d}"
        # Only a year past 99 999 cases can meet a drawn reference: skip it.
        if number < UNORDERED_FIRST or not Case.objects.filter(reference=reference).exists():
            return reference


def _unordered_reference(prefix: str) -> str:
    """A reference that does not tell when the case arrived among the others
    of the year: a random six-digit number, not the next from the counter
    (which it leaves untouched, so the named cases' numbers show no gap)."""
    year = timezone.localdate().year
    for _ in range(50):
        reference = f"{prefix}-{year}-{UNORDERED_FIRST + secrets.randbelow(UNORDERED_SPAN)}"
        if not Case.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("No free reference drawn")  # would take ~900 000 drawn cases a year


def _insert_content(content) -> None:
    """Write the owning app's content row: in one prepared statement, unless
    its model has save signal receivers, which only ``save`` calls."""
    model = type(content)
    if pre_save.has_listeners(model) or post_save.has_listeners(model):
        content.save(force_insert=True)
    else:
        rows.insert(content)


@case_service
def case_start(
    *, process_id: str, title: str, data: dict, reporter=None, unit=None, actor=None,
    content=None, title_key: str = "", title_params: dict | None = None,
    unordered_reference: bool = False,
) -> Case:
    """Start a case on the newest version of the process.

    ``data`` becomes the process data: routing fields only (ids, dates,
    codes); content belongs in the owning app's models. ``unit`` is the
    responsible unit; without it, the unit whose code the process data's
    ``unit`` holds (Unit.DoesNotExist for an unknown code). ``content``, an
    unsaved instance of such a model with a ``case`` foreign key (e.g. the
    incident report), is written with the case, before the process starts.
    ``reporter`` is None for an anonymous report, and then no account is
    linked anywhere. ``title_key`` and ``title_params``: a title Varde
    composes, rendered in each reader's language (cases.titles); ``title``
    is then that title in the site's language. ``unordered_reference``: the
    reference is drawn at random instead of counted up, so it cannot be
    placed in arrival order among its neighbours (a report that keeps only
    its date).
    """
    definition = latest_definition(process_id)
    if unit is None and data.get("unit"):
        unit = rows.unit_by_code(data["unit"])
        if unit is None:
            raise Unit.DoesNotExist(data["unit"])
    case = Case(
        reference=(_unordered_reference if unordered_reference
                   else _next_reference)(definition.reference_prefix),
        definition=definition,
        title=title[:200],
        title_key=title_key,
        title_params=title_params or {},
        reporter=reporter,
        unit=unit,
    )
    rows.insert(case)
    if content is not None:
        content.case = case
        _insert_content(content)
    case.__dict__[rows.LABELS] = set()  # a new case has no labels yet
    events.deliver_after_commit(case)
    record_event(case, EventKind.STARTED, actor=actor,
                 data={"version": definition.version}, public=True)
    wf = CaseWorkflow.start(spec_for(definition), data, context={"case": case})
    try:
        # No savepoint around the step: each service-task operation has its
        # own (cases.workflow.scripting), so what completed stays done.
        wf.run()
    except WorkflowError as error:
        return save_error(case, wf, error, actor=actor)
    return save_workflow(case, wf, actor=actor)


@transaction.atomic
def case_keep_date_only(*, case_id: int) -> Case:
    """Keep only the date a case arrived, not the time of day: for a report
    whose reporter must not be traced (an anonymous incident report), where
    the time could tell who was where.

    Called right after ``case_start``, in its caller's transaction, so the
    case, its first tasks and its audit trail are never stored with the time
    of day: their timestamps become local midnight of the arrival date, and
    so do the engine's own timestamps in the workflow state. Deadlines are
    computed from the process data (the report's date) and stay as they are.
    """
    case = lock_case(case_id)
    day = timezone.localtime(case.created_at, OSLO).date()
    midnight = datetime.combine(day, time(0), tzinfo=OSLO)
    wf = load_workflow(case)
    wf.keep_date_only(midnight.timestamp())
    case.state = wf.serialize()
    Case.objects.filter(pk=case.pk).update(state=case.state, created_at=midnight,
                                           updated_at=midnight)
    case.created_at = case.updated_at = midnight
    Task.objects.filter(case=case).update(created_at=midnight)
    # Written moments ago in this same transaction: nobody has read them.
    CaseEvent.objects.filter(case=case).update(at=midnight)
    return case


@case_service
def case_wake(*, case_id: int) -> Case | None:
    """Fire the case's due timers and run what follows. Idempotent; a case
    purged since the job was queued is skipped."""
    case = lock_case(case_id, missing_ok=True)
    if case is None:
        return None
    if case.status not in (CaseStatus.RUNNING, CaseStatus.WAITING):
        return case
    now = timezone.now()
    if case.next_timer_at is None or case.next_timer_at > now:
        return case
    wf = load_workflow(case)
    record_event(case, EventKind.TIMER, data={"due": case.next_timer_at.isoformat()})
    try:
        wf.run()
    except WorkflowError as error:
        return save_error(case, wf, error)
    return save_workflow(case, wf)


def cases_wake_due(*, limit: int = 500) -> int:
    """Wake every case whose timer is due (an indexed query, not a scan of
    workflow state). The background worker normally wakes each case at its
    own time; this is the safety net after an outage."""
    due_ids = list(
        Case.objects.filter(
            next_timer_at__lte=timezone.now(),
            status__in=[CaseStatus.RUNNING, CaseStatus.WAITING],
        ).order_by("next_timer_at").values_list("pk", flat=True)[:limit]
    )
    for case_id in due_ids:
        case_wake(case_id=case_id)
    return len(due_ids)


@case_service
def case_cancel(*, actor, case_id: int, reason: str) -> Case:
    case = lock_case(case_id)
    if not can_administer_case(actor, case):
        raise NotAllowed()
    if not case.is_open:
        raise CaseClosed()
    wf = load_workflow(case)
    wf.cancel()
    case.state = wf.serialize()
    case.status = CaseStatus.CANCELLED
    case.closed_at = timezone.now()
    case.next_timer_at = None
    case.current_step = ""
    case.save()
    Task.objects.filter(case=case, state=TaskState.READY).update(state=TaskState.CANCELLED)
    record_event(case, EventKind.CANCELLED, actor=actor, data={"reason": reason}, public=True)
    return case


@case_service
def case_retry(*, actor, case_id: int) -> Case:
    """Run the failed element again, after its cause has been fixed."""
    case = lock_case(case_id)
    if not can_administer_case(actor, case):
        raise NotAllowed()
    if case.status != CaseStatus.ERROR:
        raise CaseNotRetryable()
    wf = load_workflow(case)
    record_event(case, EventKind.RETRIED, actor=actor,
                 data={"element": case.error_element, "message": case.error_message})
    try:
        wf.retry()
    except WorkflowError as error:
        return save_error(case, wf, error, actor=actor)
    return save_workflow(case, wf, actor=actor)


@case_service
def case_grant_access(*, actor, case_id: int, user) -> Case:
    """Give one user read access to one case (django-guardian object grant)."""
    case = lock_case(case_id)
    if not can_administer_case(actor, case):
        raise NotAllowed()
    assign_perm("cases.view_case", user, case)
    record_event(case, EventKind.GRANTED, actor=actor,
                 data={"granted_to": user.get_username()})
    return case


@case_service
def case_purge(*, case_id: int) -> bool:
    """Delete a case for good when its retention period has ended: its
    events, tasks, labels and per-case grants go with it.

    For processes whose own retention rules decide (whistleblowing); the
    caller has checked those rules. Returns False if the case is already gone.
    """
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import GroupObjectPermission, UserObjectPermission

    case = Case.objects.select_for_update(of=("self",)).filter(pk=case_id).first()
    if case is None:
        return False
    content_type = ContentType.objects.get_for_model(Case)
    for model in (UserObjectPermission, GroupObjectPermission):
        model.objects.filter(content_type=content_type, object_pk=str(case.pk)).delete()
    case.delete()  # the audit trail, tasks and labels cascade with it
    return True
