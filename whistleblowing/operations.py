"""Service-task operations of ``workflows/whistleblowing.bpmn``.

They receive only ids, codes and ISO dates from the workflow, and write only
the same to the report row; they return small, content-free dicts.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from cases.calendar import OSLO, to_local_date
from cases.operations import register
from whistleblowing import conf, deadlines
from whistleblowing.models import Outcome, Report, ReportStatus
from whistleblowing.services.audit import audit_append

# The watcher wakes early in the morning of a reminder or notice day.
WAKE_TIME = time(7, 0)


def _report(case, report: str) -> Report:
    found = Report.objects.select_for_update().get(uuid=report)
    if case is not None and found.case_id is None:
        found.case = case
    return found


def _date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, (date, datetime)):
        return to_local_date(value)
    return to_local_date(str(value))


@register("whistleblowing.status")
def status(*, case, report: str, status: str, ack_due: str = "", feedback_due: str = ""):
    """Mirror the workflow's status and deadlines on the report (for the
    dashboard and the reporter's status page)."""
    found = _report(case, report)
    found.status = ReportStatus(status)
    if ack_due:
        found.ack_due = _date(ack_due)
    if feedback_due:
        found.feedback_due = _date(feedback_due)
    if status == ReportStatus.ASSESSMENT and found.acknowledged_on is None:
        found.acknowledged_on = timezone.localdate()
    found.save()
    return {"status": status}


def _checkin_due(case) -> date | None:
    """The due date of the employer's open check-in with the reporter."""
    from cases.models import Task, TaskState

    if case is None:
        return None
    due = Task.objects.filter(case=case, bpmn_id="employer_checkin",
                              state=TaskState.READY).values_list("due_at", flat=True).first()
    return to_local_date(due) if due else None


def _next_checkin_on(case, found: Report, today: date) -> date | None:
    """After closing: the day the next check-in task appears, while rounds
    remain (the watcher must be awake to follow it up)."""
    from cases.calendar import shift_months
    from cases.models import Task, TaskState

    if case is None or found.outcome != Outcome.CLOSED or found.closed_on is None:
        return None
    done = Task.objects.filter(case=case, bpmn_id="employer_checkin",
                               state=TaskState.COMPLETED).order_by("-completed_at")
    if done.count() >= conf.followup_rounds():
        return None
    last = done.first()
    start = to_local_date(last.completed_at) if last and last.completed_at else found.closed_on
    return max(shift_months(start, conf.followup_months()), today + timedelta(days=1))


@register("whistleblowing.watch")
def watch(*, case, report: str, sent=()):
    """The watcher branch: send what is due (reminders, repeating and
    escalating overdue notices) and say when to wake next. Runs from arrival
    until the case closes, and after closing while the employer's check-ins
    with the reporter remain, so no deadline is ever left without a timer."""
    from whistleblowing.services.escalation import send

    found = _report(case, report)
    found.save()
    today = timezone.localdate()
    closed = found.status == ReportStatus.CLOSED
    plan = deadlines.plan(
        today=today, ack_due=found.ack_due, acknowledged=found.acknowledged_on is not None,
        feedback_due=found.feedback_due, closed=closed, sent=list(sent or ()),
        repeat=conf.overdue_repeat_days(), checkin_due=_checkin_due(case),
    )
    notified = sum(send(case=case, report=found, notice=notice) for notice in plan.notices)
    next_on = plan.next_on
    if next_on is None and closed:
        next_on = _next_checkin_on(case, found, today)
    wake = datetime.combine(next_on or today + timedelta(days=1), WAKE_TIME, tzinfo=OSLO)
    return {"sent": plan.sent, "next": wake.isoformat(), "done": next_on is None,
            "notified": notified}


@register("whistleblowing.remind")
def remind(*, case, report: str, deadline: str, days: int = 0):
    """Cases started on an earlier version of the process (before the watcher)
    still call this: a content-free reminder to the members holding the case,
    N days before a deadline (0: the deadline has passed)."""
    from notifications.models import Kind
    from notifications.services import notify
    from whistleblowing.services.batch import grant_holder_users

    found = _report(case, report)
    found.save()
    users = grant_holder_users(found)
    notify(users=users, kind=Kind.OVERDUE if int(days) <= 0 else Kind.REMINDER, case=case)
    return {"deadline": deadline, "days": int(days), "notified": len(users)}


@register("whistleblowing.close")
def close(*, case, report: str, outcome: str = Outcome.CLOSED):
    """Closed today; the retention clock starts. A case closed without a
    recommendation still reaches the employer as a bare, content-free notice
    (the employer holds the duty to investigate, aml. § 2 A-3); a matter
    that is not whistleblowing is kept a shorter time and not sent on."""
    from whistleblowing.services.closing import employer_notice_send

    found = _report(case, report)
    today = timezone.localdate()
    found.status = ReportStatus.CLOSED
    found.outcome = Outcome(outcome)
    found.closed_on = today
    days = (conf.not_whistleblowing_retention_days() if found.outcome == Outcome.NOT_WHISTLEBLOWING
            else conf.retention_days())
    found.purge_after = today + timedelta(days=days)
    found.save()
    audit_append(actor=None, action="closed", report=found, detail=found.outcome)
    if found.outcome == Outcome.CLOSED:
        employer_notice_send(case=case, report=found)
    return {"purge_after": found.purge_after.isoformat(),
            "followup_rounds": conf.followup_rounds(),
            "followup_months": conf.followup_months()}
