"""NAV's request for the follow-up plan (aml. § 4-6 (3): the plan goes to NAV
"whenever NAV asks", besides a week before dialogue meetings 2 and 3)."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from cases.exceptions import ApplicationError, NotAllowed
from cases.services import case_signal
from sickleave import deadlines
from sickleave.access import can_handle_followup
from sickleave.models import FollowUp, FollowUpStatus, NavPlanRequest
from sickleave.services.locking import lock_followup


class InvalidNavRequest(ApplicationError):
    default_message = gettext_lazy("NAV's request cannot be recorded.")


def open_nav_request(followup: FollowUp) -> NavPlanRequest | None:
    """The request whose plan is not yet recorded as sent, if any."""
    return followup.nav_requests.filter(dispatch__isnull=True).order_by("pk").last()


@transaction.atomic
def nav_plan_request_record(*, actor, followup: FollowUp, requested_on: date,
                            due_on: date) -> NavPlanRequest:
    """The leader or an HR advisor records that NAV asked for the plan by
    ``due_on``. The process then asks the leader to send it (signal
    ``plan_requested_by_nav``), due at the end of that working day and
    escalated to HR when missed, like every other deadline. A date in the
    past is overdue at once.

    One request is followed at a time: while the plan for an earlier one is
    not recorded as sent, a new one is refused (sending the plan answers
    both; record the new one after).
    """
    followup = lock_followup(followup)
    if not can_handle_followup(actor, followup):
        raise NotAllowed()
    if followup.status != FollowUpStatus.OPEN:
        raise InvalidNavRequest(gettext_lazy("The employee is no longer absent."))
    if requested_on > timezone.localdate():
        raise InvalidNavRequest(gettext_lazy("The date cannot be in the future."))
    if due_on < requested_on:
        raise InvalidNavRequest(
            gettext_lazy("NAV's deadline cannot be before the day NAV asked.")
        )
    if open_nav_request(followup) is not None:
        raise InvalidNavRequest(gettext_lazy(
            "NAV's earlier request is still open: record the plan sent for it first."
        ))
    request = NavPlanRequest.objects.create(
        followup=followup, requested_on=requested_on, due_on=due_on,
        due_at=deadlines.nav_request_due(due_on), recorded_by=actor,
    )
    case_signal(
        actor=actor, case_id=followup.case_id, name="plan_requested_by_nav",
        payload={"request": request.pk, "due": request.due_at.isoformat()},
    )
    return request
