"""Follow-up plan versions, the employee's comments and confirmation."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy

from cases.exceptions import ApplicationError, NotAllowed
from cases.services import case_signal
from notifications.models import Kind
from notifications.services import notify
from sickleave import deadlines
from sickleave.access import can_handle_followup, can_view_followup
from sickleave.models import FollowUp, FollowUpStatus, PlanComment, PlanVersion
from sickleave.roles import is_leader_for
from sickleave.services.locking import lock_followup

PLAN_FIELDS = ("work_capacity", "employer_measures", "assisted_measures", "further_follow_up")


class PlanNotAllowed(ApplicationError):
    default_message = gettext_lazy("The plan cannot be changed now.")


@transaction.atomic
def plan_version_create(*, actor, followup: FollowUp, data: dict) -> PlanVersion:
    """A new plan version from the four parts (sick_leave_plan.json).

    The leader owns the plan (aml. § 4-6 (3)). The first version completes
    the process's plan step (signal ``plan_created``) and asks for it to be
    sent to the doctor, due at the four-week mark at the latest (overdue at
    once if the plan is late); every version is offered to the employee to
    confirm.
    """
    followup = lock_followup(followup)
    if actor.pk == followup.employee_id or not is_leader_for(actor, followup.unit_id):
        raise NotAllowed()
    if followup.status != FollowUpStatus.OPEN:
        raise PlanNotAllowed()
    number = (followup.plan_versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = PlanVersion.objects.create(
        followup=followup, number=number, created_by=actor,
        **{name: (data.get(name) or "").strip() for name in PLAN_FIELDS},
    )
    if number == 1:
        # Due at the doctor by the four-week mark the case was scheduled
        # with (sickleave.deadlines), however late the plan is made.
        if followup.doctor_due is None:
            followup.doctor_due = deadlines.due_at(followup.first_day, "plan_to_doctor")
            followup.save(update_fields=["doctor_due"])
        case_signal(
            actor=actor, case_id=followup.case_id, name="plan_created",
            payload={"plan_version": number, "doctor_due": followup.doctor_due.isoformat()},
            required=False,
        )
    notify(users=[followup.employee], kind=Kind.TASK_ASSIGNED, case=followup.case)
    return version


@transaction.atomic
def plan_comment_add(*, actor, version: PlanVersion, text: str) -> PlanComment:
    followup = version.followup
    if not (actor.pk == followup.employee_id or can_handle_followup(actor, followup)):
        raise NotAllowed()
    return PlanComment.objects.create(version=version, author=actor, text=text.strip())


@transaction.atomic
def plan_version_confirm(*, actor, version: PlanVersion) -> PlanVersion:
    """The employee confirms having read the version (once)."""
    version = PlanVersion.objects.select_for_update(of=("self",)).select_related("followup").get(
        pk=version.pk
    )
    if actor.pk != version.followup.employee_id or not can_view_followup(actor, version.followup):
        raise NotAllowed()
    if version.confirmed_at is None:
        version.confirmed_at = timezone.now()
        version.save(update_fields=["confirmed_at"])
    return version
