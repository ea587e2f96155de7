"""A person's own declaration that they are disqualified from a case
(``cases.parties``); the parties a process names are recorded by
``cases.services.party_records`` when tasks are created."""

from cases.access import can_handle_case
from cases.exceptions import NotAllowed, ReasonRequired, TaskNotAvailable
from cases.models import CaseParty, EventKind, PartyKind, Task, TaskState
from cases.services import rows
from cases.services.party_records import declared_to_matter_record
from cases.services.persistence import after_lock, case_service, record_event


@case_service
def task_declare_disqualified(*, actor, task_id: int, reason: str) -> Task:
    """The actor declares they cannot handle the task's case (a conflict of
    interest, fvl. § 6): recorded with the reason in the audit trail; every
    open task of the case assigned to them goes back to its group."""
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired()
    case, task, open_tasks = rows.locked_case_with_tasks(task_id)
    if task is None:
        raise TaskNotAvailable()
    after_lock(case)
    if not can_handle_case(actor, case):
        raise NotAllowed()
    party, _created = CaseParty.objects.get_or_create(
        case=case, user=actor, kind=PartyKind.DECLARED,
        defaults={"reason": reason[:2000], "task": task},
    )
    # The conflict is with the matter: the same in its other cases (fvl. § 6),
    # whose open tasks held by the actor go back to their groups too.
    linked = declared_to_matter_record(case, party)
    for held in Task.objects.select_related("case").filter(
        case_id__in=linked, state=TaskState.READY, assignee_id=actor.pk
    ):
        held.assignee = None
        held.claimed_at = None
        held.save(update_fields=["assignee", "claimed_at"])
        record_event(held.case, EventKind.UNCLAIMED, actor=actor, task=held)
    record_event(case, EventKind.DISQUALIFIED, actor=actor, task=task,
                 data={"task": task.bpmn_id, "reason": reason[:2000]})
    for held in open_tasks:
        if held.state == TaskState.READY and held.assignee_id == actor.pk:
            held.assignee = None
            held.claimed_at = None
            held.save(update_fields=["assignee", "claimed_at"])
            record_event(case, EventKind.UNCLAIMED, actor=actor, task=held)
    if task.assignee_id == actor.pk:
        task.assignee = None
        task.claimed_at = None
    return task
