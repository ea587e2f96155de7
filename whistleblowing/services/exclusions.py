"""Exclusions that hold: a key holder kept out of one case for good.

The reporter may leave one member out when submitting; the committee can
exclude a member (or a decision-maker) who turns out to be the reported
person or otherwise conflicted. An exclusion deletes the holder's grant or
shares, is written to the case's audit trail with its reason code, is shown
to the reporter as "a member has been excluded" (committee exclusions), and
can never be undone: no grant, share or break-glass re-wrap reaches an
excluded holder again.
"""

from django.db import transaction
from django.utils import timezone

from cases.exceptions import ApplicationError
from whistleblowing.exceptions import LastMember, NoAccess
from whistleblowing.models import (
    CaseGrant,
    EntryShare,
    Exclusion,
    ExclusionBy,
    ExclusionReason,
    HolderRole,
    KeyHolder,
    Report,
)
from whistleblowing.services.audit import REPORTER, audit_append


def is_excluded(report: Report, holder: KeyHolder) -> bool:
    return Exclusion.objects.filter(report=report, holder=holder).exists()


def excluded_ids(report: Report) -> set[int]:
    return set(Exclusion.objects.filter(report=report).values_list("holder_id", flat=True))


def decision_makers_for(report: Report) -> list[KeyHolder]:
    """The employer's decision-makers who may receive this case's recommendation."""
    from whistleblowing.services.members import active_holders

    excluded = excluded_ids(report)
    return [h for h in active_holders(HolderRole.DECISION_MAKER) if h.pk not in excluded]


def reporter_exclusion_record(*, report: Report, holder: KeyHolder) -> Exclusion:
    """The reporter's choice at submission (called inside ``report_submit``)."""
    exclusion = Exclusion.objects.create(
        report=report, holder=holder, by=ExclusionBy.REPORTER,
        reason=ExclusionReason.REPORTER_CHOICE, on=timezone.localdate(),
    )
    audit_append(actor=REPORTER, action="excluded", report=report,
                 detail=f"holder:{holder.pk}:{exclusion.reason}")
    return exclusion


@transaction.atomic
def member_exclude(*, actor: KeyHolder, report: Report, holder: KeyHolder,
                   reason: str) -> Exclusion:
    """Remove a conflicted member or decision-maker from a case for good."""
    if not CaseGrant.objects.filter(report=report, holder=actor).exists():
        raise NoAccess()
    reason = ExclusionReason(reason)
    if reason == ExclusionReason.REPORTER_CHOICE:
        raise ApplicationError(extra={"reason": "reporter_only"})
    if reason == ExclusionReason.SELF and holder.pk != actor.pk:
        raise ApplicationError(extra={"reason": "self_only"})
    Report.objects.select_for_update().filter(pk=report.pk).first()
    if is_excluded(report, holder):
        return Exclusion.objects.get(report=report, holder=holder)
    grants = CaseGrant.objects.filter(report=report)
    if holder.role == HolderRole.COMMITTEE and grants.exclude(holder=holder).count() < 1:
        raise LastMember()
    grants.filter(holder=holder).delete()
    EntryShare.objects.filter(entry__report=report, holder=holder).delete()
    exclusion = Exclusion.objects.create(
        report=report, holder=holder, by=ExclusionBy.COMMITTEE, reason=reason,
        on=timezone.localdate(),
    )
    audit_append(actor=actor, action="excluded", report=report,
                 detail=f"holder:{holder.pk}:{reason}")
    return exclusion


def reporter_visible_exclusions(report: Report):
    """What the reporter is told: the dates on which the committee excluded a
    member, never who."""
    return list(
        Exclusion.objects.filter(report=report, by=ExclusionBy.COMMITTEE)
        .order_by("on").values_list("on", flat=True)
    )
