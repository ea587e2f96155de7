"""Service-task operations of ``workflows/whistleblowing.bpmn``.

They receive only ids, codes and ISO dates from the workflow, and write only
the same to the report row; they return small, content-free dicts.
"""

from datetime import date, datetime, timedelta

from django.utils import timezone

from cases.calendar import to_local_date
from cases.operations import register
from notifications.models import Kind
from notifications.services import notify
from whistleblowing import conf
from whistleblowing.models import Report, ReportStatus
from whistleblowing.services.audit import audit_append


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


@register("whistleblowing.remind")
def remind(*, case, report: str, deadline: str, days: int = 0):
    """A content-free reminder to the members holding the case, N days before
    a deadline (0: the deadline has passed)."""
    from whistleblowing.services.batch import grant_holder_users

    found = _report(case, report)
    found.save()
    users = grant_holder_users(found)
    kind = Kind.OVERDUE if int(days) <= 0 else Kind.REMINDER
    notify(users=users, kind=kind, case=case)
    return {"deadline": deadline, "days": int(days), "notified": len(users)}


@register("whistleblowing.close")
def close(*, case, report: str):
    """Closed today; the retention clock starts (``conf.retention_days``)."""
    found = _report(case, report)
    today = timezone.localdate()
    found.status = ReportStatus.CLOSED
    found.closed_on = today
    found.purge_after = today + timedelta(days=conf.retention_days())
    found.save()
    audit_append(actor=None, action="closed", report=found)
    return {"purge_after": found.purge_after.isoformat()}
