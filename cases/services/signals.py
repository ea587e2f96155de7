"""BPMN signals sent to one case from outside the engine.

Some events happen outside any task: an employee returns to work, a plan is
saved on a domain app's own page, a party asks for a meeting. The process
models each as a signal catch event (a boundary event that interrupts a
subprocess, an intermediate event a branch waits at); the owning app calls
``case_signal`` and the engine takes it from there. These are BPMN signals,
not Django signals.
"""


from cases.access import can_handle_case
from cases.exceptions import CaseClosed, EventNotExpected, NotAllowed
from cases.models import Case, CaseStatus
from cases.services.persistence import (
    case_service,
    load_workflow,
    lock_case,
    record_event,
    save_error,
    save_workflow,
)
from cases.workflow.errors import WorkflowError

# CaseEvent.kind of a received signal. Not yet one of cases.models.EventKind
# (adding it needs a cases migration); the timeline shows the raw value.
SIGNAL_EVENT_KIND = "signal"


@case_service
def case_signal(
    *, actor, case_id: int, name: str, payload: dict | None = None, required: bool = True
) -> Case:
    """Throw the signal ``name`` (with routing data ``payload``) into the case.

    ``actor`` must be able to handle the case (by the process's access
    policy, if it has one); None means the system itself (a background job).
    If no element of the case waits for the signal, ``EventNotExpected`` is
    raised, or, with ``required=False``, nothing happens: the caller records
    a fact that may or may not matter to the process at this point.
    """
    case = lock_case(case_id)
    if actor is not None and not can_handle_case(actor, case):
        raise NotAllowed()
    if case.status not in (CaseStatus.RUNNING, CaseStatus.WAITING):
        if not required:
            return case
        raise CaseClosed()
    wf = load_workflow(case)
    try:
        caught = wf.signal(name, payload or {})
    except WorkflowError as error:
        record_event(case, SIGNAL_EVENT_KIND, actor=actor, data={"signal": name})
        return save_error(case, wf, error, actor=actor)
    if not caught:
        if required:
            raise EventNotExpected(extra={"signal": name})
        return case
    record_event(case, SIGNAL_EVENT_KIND, actor=actor, data={"signal": name})
    return save_workflow(case, wf, actor=actor)
