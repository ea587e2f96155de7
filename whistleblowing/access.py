"""The access policy of the ``whistleblowing`` process (``cases.access``).

Generic case pages never show these cases (``can_view`` is always False):
the channel's own views under ``/komite/`` require TOTP and an unlocked key.
``can_handle`` lets the case services accept a step from a committee member
holding a grant to the case, or from a decision-maker the committee released
its recommendation (or the bare no-measures notice) to, and never excluded.
HSE administrators and superusers get nothing.
"""

from cases.access import AccessPolicy
from whistleblowing.models import CaseGrant, EntryKind, EntryShare, HolderRole
from whistleblowing.roles import role_of


def can_handle(user, case) -> bool:
    role = role_of(user)
    if role == HolderRole.COMMITTEE:
        return CaseGrant.objects.filter(report__case=case, holder__user=user).exists()
    if role == HolderRole.DECISION_MAKER:
        return EntryShare.objects.filter(
            entry__report__case=case, holder__user=user,
            entry__kind__in=(EntryKind.RECOMMENDATION, EntryKind.EMPLOYER_NOTICE),
        ).exists()
    return False


def can_view(user, case) -> bool:
    return False


def url(case) -> str:
    """The committee's own page of the case (notification links)."""
    from django.urls import reverse

    from whistleblowing.models import Report

    report = Report.objects.filter(case=case).only("uuid").first()
    if report is None:
        return reverse("wb_committee:dashboard")
    return reverse("wb_committee:case", args=[report.uuid])


POLICY = AccessPolicy(can_view=can_view, can_handle=can_handle, url=url)
