"""The channel's scheduled batch: start the cases of new reports, tell
members about reporter activity, and run the daily purge.

Why a batch: if a report started its case at once, the case, its first task,
its events, the members' notifications and the timer job would all carry the
precise time of submission, which can be matched with door, Wi-Fi or shift
logs. Batches run at fixed slots (every ``conf.batch_hours()`` hours from
midnight), so those rows carry a slot time shared by everyone who reported
since the previous slot. A committee member opening the dashboard also
starts waiting reports: that is the member's time, not the reporter's.
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from cases.services import case_start
from notifications.models import Kind
from notifications.services import notify
from whistleblowing import conf
from whistleblowing.models import BatchSchedule, CaseGrant, Report, ReportStatus

logger = logging.getLogger(__name__)

PROCESS_ID = "whistleblowing"
# Every case has this title: nothing about a report may show in a case list.
CASE_TITLE = gettext_noop("Report")


@transaction.atomic
def report_start_case(report_id: int) -> bool:
    report = Report.objects.select_for_update().get(pk=report_id)
    if report.case_id is not None:
        return False
    case_start(
        process_id=PROCESS_ID, title=CASE_TITLE,
        data={"report": str(report.uuid), "received_on": report.received_on.isoformat()},
        reporter=None, unit=None, actor=None,
    )
    return True


def reports_start_pending() -> int:
    pending = Report.objects.filter(case__isnull=True).exclude(
        status=ReportStatus.CLOSED
    ).values_list("pk", flat=True)
    return sum(report_start_case(report_id) for report_id in list(pending))


def grant_holder_users(report: Report) -> list:
    return [
        grant.holder.user
        for grant in CaseGrant.objects.filter(report=report).select_related("holder__user")
        if grant.holder.user.is_active and not grant.holder.user.is_superuser
    ]


@transaction.atomic
def activity_notices_send() -> int:
    """A generic "new activity" notification per report the reporter wrote
    to; an answer to a check-in also tells the decision-makers who asked."""
    from whistleblowing.services.escalation import decision_makers_holding

    reports = list(
        Report.objects.select_for_update()
        .filter(activity_notice_pending=True, case__isnull=False)
        .select_related("case", "case__definition")
    )
    for report in reports:
        users = grant_holder_users(report)
        if report.employer_notice_pending:  # an answer to the employer's check-in
            users += [user for user in decision_makers_holding(report) if user not in users]
        notify(users=users, kind=Kind.NEW_ACTIVITY, case=report.case)
    Report.objects.filter(pk__in=[r.pk for r in reports]).update(
        activity_notice_pending=False, employer_notice_pending=False)
    return len(reports)


def next_slot(now: datetime | None = None) -> datetime:
    now = timezone.localtime(now or timezone.now())
    hours = max(1, min(conf.batch_hours(), 24))
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    slot = midnight
    while slot <= now:
        slot += timedelta(hours=hours)
    return slot


def batch_run(*, today=None) -> dict:
    """One batch: start waiting cases, send notices, purge once a day."""
    from whistleblowing.services.retention import purge_expired

    today = today or timezone.localdate()
    started = reports_start_pending()
    notices = activity_notices_send()
    purged = 0
    with transaction.atomic():
        schedule, _created = BatchSchedule.objects.select_for_update().get_or_create(pk=1)
        purge_now = schedule.last_purge_on != today
        if purge_now:
            schedule.last_purge_on = today
            schedule.save(update_fields=["last_purge_on"])
    if purge_now:
        purged = purge_expired(today=today)
    return {"started": started, "notices": notices, "purged": purged}


@transaction.atomic
def batch_ensure_scheduled(*, now: datetime | None = None) -> datetime | None:
    """Make sure the next batch job is queued at the next slot.

    The job row's enqueue time is then a batch or deployment time, never a
    reporter's. Returns the slot, or None if the task backend cannot defer.
    """
    from whistleblowing.tasks import run_batch

    if not run_batch.get_backend().supports_defer:
        return None
    now = now or timezone.now()
    schedule, _created = BatchSchedule.objects.select_for_update().get_or_create(pk=1)
    if schedule.next_run is not None and schedule.next_run > now:
        return schedule.next_run
    slot = next_slot(now)
    schedule.next_run = slot
    schedule.save(update_fields=["next_run"])
    transaction.on_commit(lambda: run_batch.using(run_after=slot).enqueue())
    return slot
