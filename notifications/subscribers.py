"""Turn committed case events into live updates and notifications.

The case services decide what happened; this module only decides who hears
about it and how. Live updates go out at once (one batched publish per
transaction); notification rows, e-mails and reminders are made by one
background job per transaction, so the user's request never waits for them.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cases.access import restricted_process_ids
from cases.calendar import is_date_only
from cases.models import CaseEvent, CaseStatus, EventKind, Task
from notifications import groups, live
from notifications.models import Kind
from notifications.recipients import (
    allowed_to_handle,
    hse_admins,
    role_holders,
    task_candidates,
    unit_leaders,
)
from notifications.services import notify
from org.models import Unit
from org.roles import UNIT_SCOPED_ROLES

# Events that change what a queue shows.
QUEUE_EVENTS = {
    EventKind.TASK_READY, EventKind.CLAIMED, EventKind.UNCLAIMED, EventKind.REASSIGNED,
    EventKind.COMPLETED, EventKind.ESCALATED, EventKind.TRANSFERRED, EventKind.CANCELLED,
}
# Events somebody may be notified of.
NOTIFYING_EVENTS = {
    EventKind.TASK_READY, EventKind.REASSIGNED, EventKind.ESCALATED, EventKind.ERROR,
    EventKind.STATUS,
}


def _user_id(username: str | None) -> int | None:
    if not username:
        return None
    return get_user_model().objects.filter(username=username).values_list("pk", flat=True).first()


def live_groups(event: CaseEvent) -> list[str]:
    case, task = event.case, event.task
    targets = [groups.case_group(case.pk)]
    if task is not None and event.kind in QUEUE_EVENTS:
        task.case = case
        targets += groups.queue_groups_for_task(task)
        for user_id in (task.assignee_id, event.actor_id if event.kind == EventKind.UNCLAIMED
                        else None, _user_id(event.data.get("from"))
                        if event.kind == EventKind.REASSIGNED else None):
            if user_id:
                targets.append(groups.user_group(user_id))
    if event.kind in (EventKind.ESCALATED, EventKind.TRANSFERRED, EventKind.CANCELLED):
        for open_task in case.tasks.filter(state="ready").select_related("candidate_group"):
            open_task.case = case
            targets += groups.queue_groups_for_task(open_task)
            if open_task.assignee_id:
                targets.append(groups.user_group(open_task.assignee_id))
        if event.kind == EventKind.TRANSFERRED:
            # The old unit's queues must drop the case's tasks too.
            old_unit = Unit.objects.filter(code=event.data.get("from")).values_list(
                "pk", flat=True
            ).first()
            if old_unit:
                targets += [groups.queue_group(role, old_unit) for role in UNIT_SCOPED_ROLES]
    if case.reporter_id and event.public:
        targets.append(groups.user_group(case.reporter_id))
    return targets


def on_case_events(batch: list[CaseEvent]) -> None:
    """Called once per committed service transaction with its events."""
    messages = []
    for event in batch:
        payload = {"type": "case_event", "kind": event.kind, "case": event.case_id,
                   "task": event.task_id}
        messages += [(group, payload) for group in dict.fromkeys(live_groups(event))]
    live.publish_many(messages)


def queue_notifications(batch: list[CaseEvent]) -> None:
    """One background job for the batch's notifying events, queued in the
    transaction that recorded them: it commits with them or not at all."""
    wanted = [e.pk for e in batch if e.kind in NOTIFYING_EVENTS]
    if wanted:
        from cases.jobs import enqueue_in_transaction
        from notifications.tasks import notify_for_events

        enqueue_in_transaction(notify_for_events, wanted)


@transaction.atomic
def notify_for(event_ids: list[int]) -> None:
    """Notification rows, e-mails and reminders for these events (background)."""
    batch = (
        CaseEvent.objects.filter(pk__in=event_ids)
        .select_related("case", "case__definition", "case__reporter", "task",
                        "task__candidate_group", "task__assignee")
        .defer("case__state", "case__definition__spec_json", "case__definition__sources")
        .order_by("pk")
    )
    for event in batch:
        if event.task is not None:
            event.task.case = event.case
        _notify(event)


def _notify(event: CaseEvent) -> None:
    case, task = event.case, event.task
    # An event kept with its date only (an anonymous report's arrival,
    # cases.services.case_keep_date_only): so is what tells of it.
    at = event.at if is_date_only(event.at) else None
    if event.kind == EventKind.TASK_READY and task is not None:
        if task.state != "ready":
            return  # done before the job ran: nothing to announce
        if task.assignee is not None:
            notify(users=[task.assignee], kind=Kind.TASK_ASSIGNED, case=case, task=task, at=at)
        else:
            users = [u for u in task_candidates(task) if u.pk != event.actor_id]
            notify(users=users, kind=Kind.TASK_WAITING, case=case, task=task, at=at)
        schedule_reminder(task)
    elif event.kind == EventKind.REASSIGNED and task is not None and task.assignee:
        notify(users=[task.assignee], kind=Kind.TASK_ASSIGNED, case=case, task=task, at=at)
    elif event.kind == EventKind.ERROR:
        notify(users=error_recipients(case), kind=Kind.CASE_ERROR, case=case, at=at)
    elif event.kind == EventKind.ESCALATED:
        # An overdue action's coordinators are the first line, before the
        # leader; the default is the unit's leaders.
        to_role = event.data.get("to_role")
        people = role_holders(to_role, case.unit_id) if to_role else unit_leaders(case.unit_id)
        notify(users=allowed_to_handle(people, case), kind=Kind.OVERDUE, case=case,
               task=escalated_task(event), at=at)
    elif (
        event.kind == EventKind.STATUS
        and case.reporter is not None
        and case.reporter_id != event.actor_id
        and event.data.get("to") in (CaseStatus.COMPLETED, CaseStatus.CANCELLED)
    ):
        notify(users=[case.reporter], kind=Kind.STATUS_CHANGED, case=case,
               extra={"status": event.data["to"]})


def escalated_task(event: CaseEvent):
    """The one task an escalation names (a corrective action: its BPMN id and
    title, ``cases.escalate``), so the notice can say which; else None.

    By the task id the escalation carries (two actions may share a title);
    by title only for a row the escalating step had not created yet."""
    bpmn_id, title = event.data.get("task"), event.data.get("title")
    if not (bpmn_id and title):
        return None
    tasks = Task.objects.filter(case=event.case, bpmn_id=bpmn_id, title_suffix=title)
    task_id = event.data.get("task_id")
    if task_id:
        tasks = tasks.filter(pk=task_id)
    task = tasks.order_by("-pk").first()
    if task is not None:
        task.case = event.case
    return task


def error_recipients(case) -> list:
    """HSE admins retry failed cases; a process with its own policy tells the
    people that policy lets handle the case instead (admins cannot open it)."""
    if case.definition.process_id not in restricted_process_ids():
        return list(hse_admins())
    people = set()
    for task in case.tasks.filter(state="ready").select_related("candidate_group", "assignee"):
        task.case = case
        people.update([task.assignee] if task.assignee else task_candidates(task))
    return allowed_to_handle(people, case)


def schedule_reminder(task) -> None:
    """A reminder N days before the due date, as a scheduled job (no scans)."""
    if task.due_at is None:
        return
    run_after = task.due_at - settings.VARDE_REMINDER_BEFORE
    if run_after <= timezone.now():
        return
    from cases.jobs import enqueue_in_transaction
    from notifications.tasks import task_reminder

    enqueue_in_transaction(task_reminder, task.pk, task.due_at.isoformat(), run_after=run_after)
