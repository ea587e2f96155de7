"""Exclusions that hold: a key holder kept out of one case for good.

The reporter may leave one member out when submitting; the committee can
exclude a member (or a decision-maker) who turns out to be the reported
person or otherwise conflicted. An exclusion deletes the holder's grant or
shares, is written to the case's audit trail with its reason code, is shown
to the reporter as "a member has been excluded" (committee exclusions), and
can never be undone: no grant, share or break-glass re-wrap reaches an
excluded holder again.

Who may exclude whom (so that nobody who is in fact the reported person can
keep a case to themself):

* a committee member can exclude **themself** alone (reason "self");
* excluding **another member** needs two members, like revealing the
  identity: one proposes (``exclusion_request``), a second member holding
  the case, neither the proposer nor the member concerned, approves
  (``member_exclude``); the last member holding a case is never removed;
* a **decision-maker** holds no case key and sees only what is released to
  the employer, so one member can exclude them, but never the last one not
  excluded: the employer holds the duty to investigate (aml. § 2 A-3) and
  must always be reachable (``LastDecisionMaker``; enrol another first).
"""

from django.db import transaction
from django.utils import timezone

from cases.exceptions import ApplicationError
from whistleblowing.exceptions import (
    ExclusionNeedsSecondMember,
    LastDecisionMaker,
    LastMember,
    NoAccess,
)
from whistleblowing.models import (
    CaseGrant,
    EntryShare,
    Exclusion,
    ExclusionBy,
    ExclusionReason,
    ExclusionRequest,
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


def _check(*, actor: KeyHolder, report: Report, holder: KeyHolder, reason: str) -> str:
    if not CaseGrant.objects.filter(report=report, holder=actor).exists():
        raise NoAccess()
    reason = ExclusionReason(reason)
    if reason == ExclusionReason.REPORTER_CHOICE:
        raise ApplicationError(extra={"reason": "reporter_only"})
    if reason == ExclusionReason.SELF and holder.pk != actor.pk:
        raise ApplicationError(extra={"reason": "self_only"})
    return reason


def pending_request(report: Report, holder: KeyHolder) -> ExclusionRequest | None:
    return ExclusionRequest.objects.filter(report=report, holder=holder).first()


def pending_requests(report: Report, *, viewer: KeyHolder | None = None):
    """Proposals waiting for a second member (not shown to the member concerned)."""
    requests = ExclusionRequest.objects.filter(report=report).select_related(
        "holder__user", "requested_by__user").order_by("pk")
    return requests.exclude(holder=viewer) if viewer is not None else requests


def needs_second_member(*, actor: KeyHolder, holder: KeyHolder) -> bool:
    return holder.role == HolderRole.COMMITTEE and holder.pk != actor.pk


@transaction.atomic
def exclusion_request(*, actor: KeyHolder, report: Report, holder: KeyHolder,
                      reason: str) -> ExclusionRequest:
    """Propose to exclude another member; a second member must approve."""
    reason = _check(actor=actor, report=report, holder=holder, reason=reason)
    if not needs_second_member(actor=actor, holder=holder):
        raise ApplicationError(extra={"reason": "no_second_member_needed"})
    Report.objects.select_for_update().filter(pk=report.pk).first()
    if is_excluded(report, holder):
        raise ApplicationError(extra={"reason": "already_excluded"})
    request, created = ExclusionRequest.objects.get_or_create(
        report=report, holder=holder,
        defaults={"reason": reason, "requested_by": actor,
                  "requested_on": timezone.localdate()},
    )
    if created:
        audit_append(actor=actor, action="exclusion_requested", report=report,
                     detail=f"holder:{holder.pk}:{reason}")
    return request


@transaction.atomic
def member_exclude(*, actor: KeyHolder, report: Report, holder: KeyHolder,
                   reason: str) -> Exclusion:
    """Remove a conflicted member or decision-maker from a case for good.

    For another committee member this is the second member's approval of a
    pending proposal (``exclusion_request``); without one, or by the
    proposer or the member concerned, it raises ExclusionNeedsSecondMember.
    """
    reason = _check(actor=actor, report=report, holder=holder, reason=reason)
    Report.objects.select_for_update().filter(pk=report.pk).first()
    if is_excluded(report, holder):
        return Exclusion.objects.get(report=report, holder=holder)
    if needs_second_member(actor=actor, holder=holder):
        proposal = pending_request(report, holder)
        if proposal is None or proposal.requested_by_id == actor.pk:
            raise ExclusionNeedsSecondMember()
        reason = ExclusionReason(proposal.reason)
    grants = CaseGrant.objects.filter(report=report)
    if holder.role == HolderRole.COMMITTEE and grants.exclude(holder=holder).count() < 1:
        raise LastMember()
    if holder.role == HolderRole.DECISION_MAKER and not [
        maker for maker in decision_makers_for(report) if maker.pk != holder.pk
    ]:
        raise LastDecisionMaker()
    grants.filter(holder=holder).delete()
    EntryShare.objects.filter(entry__report=report, holder=holder).delete()
    ExclusionRequest.objects.filter(report=report, holder=holder).delete()
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
