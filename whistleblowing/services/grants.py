"""Who holds a case key: grants by an unlocked member, revocation, and the
break-glass re-wrap. Every change is audited."""

from django.db import transaction
from django.utils import timezone

from cases.exceptions import ApplicationError, NotAllowed
from whistleblowing import crypto
from whistleblowing.exceptions import MemberExcluded, NoAccess
from whistleblowing.models import CaseGrant, Exclusion, HolderRole, KeyHolder, Report
from whistleblowing.services.audit import audit_append


def case_key(*, holder: KeyHolder, private_key: bytes, report: Report) -> bytes:
    """The case private key through the holder's own grant; NoAccess without."""
    grant = CaseGrant.objects.filter(report=report, holder=holder).first()
    if grant is None:
        raise NoAccess()
    return crypto.unseal(private_key, bytes(grant.sealed_sk))


def _check_grantee(grantee: KeyHolder) -> None:
    user = grantee.user
    if grantee.role != HolderRole.COMMITTEE or not user.is_active or user.is_superuser:
        raise NotAllowed()


def _excluded(report: Report, grantee: KeyHolder) -> bool:
    return Exclusion.objects.filter(report=report, holder=grantee).exists()


@transaction.atomic
def grant_access(*, granter: KeyHolder, private_key: bytes, report: Report,
                 grantee: KeyHolder) -> bool:
    """Seal the case key to another member; False if they had it already.

    A member excluded from the case (by the reporter or the committee) can
    never be granted it: the exclusion holds.
    """
    _check_grantee(grantee)
    case_sk = case_key(holder=granter, private_key=private_key, report=report)
    if _excluded(report, grantee):
        raise MemberExcluded()
    _grant, created = CaseGrant.objects.get_or_create(
        report=report, holder=grantee,
        defaults={"sealed_sk": crypto.seal(bytes(grantee.public_key), case_sk),
                  "granted_on": timezone.localdate()},
    )
    if created:
        audit_append(actor=granter, action="granted", report=report,
                     detail=f"holder:{grantee.pk}")
    return created


@transaction.atomic
def grant_all(*, granter: KeyHolder, private_key: bytes, grantee: KeyHolder) -> int:
    """Grant every case the granter holds (a new member joining), except the
    cases the grantee is excluded from."""
    reports = Report.objects.filter(grants__holder=granter).exclude(exclusions__holder=grantee)
    return sum(
        grant_access(granter=granter, private_key=private_key, report=report, grantee=grantee)
        for report in reports
    )


@transaction.atomic
def revoke_access(*, actor: KeyHolder, report: Report, holder: KeyHolder) -> None:
    """Delete a member's grant. Past reads cannot be undone; the last grant
    is kept, or nobody could ever open the case again."""
    if not CaseGrant.objects.filter(report=report, holder=actor).exists():
        raise NoAccess()
    grants = CaseGrant.objects.select_for_update().filter(report=report)
    if grants.count() <= 1:
        raise ApplicationError(extra={"reason": "last_grant"})
    grants.filter(holder=holder).delete()
    audit_append(actor=actor, action="revoked", report=report, detail=f"holder:{holder.pk}")


@transaction.atomic
def breakglass_grant(*, breakglass_private_key: bytes, grantee: KeyHolder) -> int:
    """The ceremony when no member can unlock: the committee's break-glass
    private key (entered on an isolated machine) re-seals every case key to a
    new member."""
    _check_grantee(grantee)
    count = 0
    for report in Report.objects.exclude(sk_breakglass=None).exclude(exclusions__holder=grantee):
        case_sk = crypto.unseal(breakglass_private_key, bytes(report.sk_breakglass))
        _grant, created = CaseGrant.objects.get_or_create(
            report=report, holder=grantee,
            defaults={"sealed_sk": crypto.seal(bytes(grantee.public_key), case_sk),
                      "granted_on": timezone.localdate()},
        )
        if created:
            audit_append(actor="breakglass", action="granted", report=report,
                         detail=f"holder:{grantee.pk}")
            count += 1
    return count
