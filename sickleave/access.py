"""Who sees a sick-leave case, and the read log.

Visible to the employee, the employee's leader (a unit leader of the case's
unit), the unit's HR advisors, and BHT advisers while invited. Not to HSE
administrators or coordinators, other units' leaders or colleagues: the
process registers its own policy, so the generic staff rules do not apply.
Handling (tasks, cancel, retry) is for the leader and HR, never for the
employee themself, even one who is also a unit leader.

Every read is logged: views get a follow-up only through
``access_followup``, and the generic case and task pages through
``cases.access``, which calls ``log_case_read`` for this process.
"""

from django.http import Http404
from django.urls import reverse

from cases.access import AccessPolicy, can_view_case
from sickleave.models import FollowUp, ReadKind, ReadLogEntry
from sickleave.roles import OCCUPATIONAL_HEALTH, has_role, is_hr_for, is_leader_for

PROCESS_ID = "sick_leave_followup"


def followup_of(case) -> FollowUp | None:
    cached = case.__dict__.get("_sick_leave_followup")
    if cached is None:
        cached = FollowUp.objects.filter(case=case).select_related("employee").first()
        case.__dict__["_sick_leave_followup"] = cached
    return cached


def employee_concerned(case, data) -> list[int]:
    """The party to a follow-up (``cases.parties``): the employee on sick
    leave. The first step runs before the follow-up row links the case, so
    the workflow's ``followup`` id is asked first."""
    employee = FollowUp.objects.filter(pk=data.get("followup") or 0).values_list(
        "employee_id", flat=True
    ).first()
    if employee is None:
        followup = followup_of(case)
        employee = followup.employee_id if followup else None
    return [employee] if employee else []


def is_invited_bht(user, followup: FollowUp) -> bool:
    return has_role(user, OCCUPATIONAL_HEALTH) and followup.bht_invitations.filter(
        user=user, revoked_at__isnull=True
    ).exists()


def can_handle_followup(user, followup: FollowUp) -> bool:
    if not user.is_authenticated or not user.is_active or user.pk == followup.employee_id:
        return False
    return is_leader_for(user, followup.unit_id) or is_hr_for(user, followup.unit_id)


def can_view_followup(user, followup: FollowUp) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return (
        user.pk == followup.employee_id
        or can_handle_followup(user, followup)
        or is_invited_bht(user, followup)
    )


def _can_view(user, case) -> bool:
    followup = followup_of(case)
    return followup is not None and can_view_followup(user, followup)


def _can_handle(user, case) -> bool:
    followup = followup_of(case)
    return followup is not None and can_handle_followup(user, followup)


def log_read(user, followup: FollowUp, what: str, detail: str = "") -> ReadLogEntry:
    return ReadLogEntry.objects.create(
        followup=followup, user=user, username=user.get_username(), what=what, detail=detail
    )


def log_case_read(user, case, what: str) -> None:
    followup = followup_of(case)
    if followup is not None:
        log_read(user, followup, ReadKind.TASK if what == "task" else ReadKind.CASE)


def _page(case) -> str:
    return reverse("sickleave:detail", args=[case.reference])


# Notification links (cases.access.case_url) open the follow-up page.
POLICY = AccessPolicy(can_view=_can_view, can_handle=_can_handle, on_read=log_case_read,
                      url=_page)


def access_followup(user, reference: str, *, what: str = ReadKind.FOLLOWUP, detail: str = "",
                    handle: bool = False) -> FollowUp:
    """The follow-up of case ``reference`` if the user may see (or handle)
    it, with the read logged; 404 otherwise, never a hint that it exists."""
    followup = (
        FollowUp.objects.select_related("case", "case__definition", "unit", "employee")
        .filter(case__reference=reference)
        .first()
    )
    if followup is None or not can_view_case(user, followup.case):
        raise Http404
    if handle and not can_handle_followup(user, followup):
        raise Http404
    if what:
        log_read(user, followup, what, detail)
    return followup
