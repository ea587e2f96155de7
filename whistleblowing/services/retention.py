"""Retention: every report has a deletion date (``purge_after``) and is
deleted on it, files overwritten first; only a yearly count of purged
reports remains (the report's audit chain goes with it).

- Open reports (including abandoned and never-started ones): the date is
  ``conf.open_retention_days`` after the last activity (submission, a
  message, a completed step), so a report nobody touches is not kept forever.
- Closed reports: ``conf.retention_days`` after closing, or
  ``conf.not_whistleblowing_retention_days`` for "not whistleblowing".

A report whose reporter wrote something no member has opened yet waits: the
purge must not destroy an unread message. So does a report with a linked
case still kept: the reporter reaches that case with the first receipt.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cases.services import case_purge
from whistleblowing import conf, storage
from whistleblowing.models import Entry, PurgeCounter, Report, ReportStatus
from whistleblowing.services.audit import audit_append, audit_chain_delete


def keep_open(report: Report) -> None:
    """Activity on an open report moves its deletion date on."""
    Report.objects.filter(pk=report.pk).exclude(status=ReportStatus.CLOSED).update(
        purge_after=timezone.localdate() + timedelta(days=conf.open_retention_days())
    )


def purge_candidates(today):
    return Report.objects.filter(
        purge_after__lte=today, reporter_activity_unread=False
    ).exclude(linked__isnull=False)


@transaction.atomic
def report_purge(*, report_id: int, today) -> bool:
    report = Report.objects.select_for_update().filter(pk=report_id).first()
    if report is None or not purge_candidates(today).filter(pk=report_id).exists():
        return False
    blobs = [b for b in Entry.objects.filter(report=report).values_list("blob", flat=True) if b]
    case = report.case
    report_uuid = report.uuid
    report.delete()  # entries, grants and shares go with it
    if case is not None:
        case_purge(case_id=case.pk)
    counter, _created = PurgeCounter.objects.get_or_create(year=today.year)
    PurgeCounter.objects.filter(pk=counter.pk).update(purged=F("purged") + 1)
    audit_chain_delete(str(report_uuid))

    def shred():
        for blob in blobs:
            storage.shred(blob)

    transaction.on_commit(shred)
    return True


def purge_expired(*, today=None) -> int:
    today = today or timezone.localdate()
    ids = list(purge_candidates(today).values_list("pk", flat=True))
    purged = sum(report_purge(report_id=report_id, today=today) for report_id in ids)
    if purged:
        # A count only: nothing that tells which reports were deleted.
        audit_append(actor=None, action="purged", detail=f"count:{purged}")
    return purged
