"""Retention: a closed case is deleted after ``purge_after``, files
overwritten first; only a yearly count of purged cases remains.

A case whose reporter wrote something no member has opened yet waits: the
purge must not destroy an unread message.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cases.services import case_purge
from whistleblowing import storage
from whistleblowing.models import Entry, PurgeCounter, Report, ReportStatus
from whistleblowing.services.audit import audit_append


def purge_candidates(today):
    return Report.objects.filter(
        status=ReportStatus.CLOSED, purge_after__lte=today, reporter_activity_unread=False
    )


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
    audit_append(actor=None, action="purged", detail=str(report_uuid)[:8])

    def shred():
        for blob in blobs:
            storage.shred(blob)

    transaction.on_commit(shred)
    return True


def purge_expired(*, today=None) -> int:
    today = today or timezone.localdate()
    ids = list(purge_candidates(today).values_list("pk", flat=True))
    return sum(report_purge(report_id=report_id, today=today) for report_id in ids)
