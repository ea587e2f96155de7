"""Reads for the committee's and the decision-maker's screens."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from cases.models import Task, TaskState
from whistleblowing.models import EntryKind, Report, ReportStatus

WARN_DAYS = (14, 3)


@dataclass
class DeadlineState:
    label: str  # "acknowledgement" or "feedback"
    due: date
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def warning(self) -> int | None:
        """14 or 3 when within that many days of the deadline, else None."""
        for days in sorted(WARN_DAYS):
            if 0 <= self.days_left <= days:
                return days
        return None


@dataclass
class DashboardRow:
    report: Report
    deadline: DeadlineState | None
    tasks: list


def deadline_of(report: Report, today: date) -> DeadlineState | None:
    if report.status == ReportStatus.CLOSED:
        return None
    if report.acknowledged_on is None and report.ack_due:
        return DeadlineState("acknowledgement", report.ack_due, (report.ack_due - today).days)
    if report.feedback_due:
        return DeadlineState("feedback", report.feedback_due,
                             (report.feedback_due - today).days)
    return None


def committee_dashboard(*, holder) -> list[DashboardRow]:
    today = timezone.localdate()
    reports = list(
        Report.objects.filter(grants__holder=holder).select_related("case")
        .order_by("status", "received_on")
    )
    tasks = {}
    for task in Task.objects.filter(
        case_id__in=[r.case_id for r in reports if r.case_id], state=TaskState.READY
    ):
        tasks.setdefault(task.case_id, []).append(task)
    rows = [DashboardRow(r, deadline_of(r, today), tasks.get(r.case_id, [])) for r in reports]
    open_rows = [r for r in rows if r.report.status != ReportStatus.CLOSED]
    closed = [r for r in rows if r.report.status == ReportStatus.CLOSED]
    open_rows.sort(key=lambda r: (r.deadline.due if r.deadline else date.max))
    return open_rows + closed


EMPLOYER_STEPS = ("record_decision", "employer_checkin")


def decision_dashboard(*, holder) -> list[DashboardRow]:
    """Cases released to this decision-maker (a recommendation, or the bare
    notice of a case closed without one), with their open employer steps."""
    reports = list(Report.objects.filter(
        entries__kind__in=(EntryKind.RECOMMENDATION, EntryKind.EMPLOYER_NOTICE),
        entries__shares__holder=holder,
    ).select_related("case").distinct().order_by("-received_on"))
    tasks = {}
    for task in Task.objects.filter(case_id__in=[r.case_id for r in reports if r.case_id],
                                    state=TaskState.READY, bpmn_id__in=EMPLOYER_STEPS):
        tasks.setdefault(task.case_id, []).append(task)
    today = timezone.localdate()
    return [DashboardRow(r, deadline_of(r, today), tasks.get(r.case_id, [])) for r in reports]


def pending_reports() -> int:
    return Report.objects.filter(case__isnull=True).count()
