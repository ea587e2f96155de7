"""Meeting minutes, dialogue meeting 3 on request, BHT invitations."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from cases.exceptions import ApplicationError, NotAllowed
from cases.services import case_signal
from notifications.models import Kind
from notifications.services import notify
from sickleave.access import can_handle_followup
from sickleave.models import BhtInvitation, FollowUp, FollowUpStatus, Meeting
from sickleave.roles import OCCUPATIONAL_HEALTH, has_role
from sickleave.services.locking import lock_followup


class MeetingNotAllowed(ApplicationError):
    default_message = gettext_lazy("This cannot be done for the meeting now.")


@transaction.atomic
def meeting_minutes_save(*, actor, meeting: Meeting, minutes: str) -> Meeting:
    meeting = (
        Meeting.objects.select_for_update(of=("self",)).select_related("followup")
        .get(pk=meeting.pk)
    )
    if not can_handle_followup(actor, meeting.followup):
        raise NotAllowed()
    meeting.minutes = minutes.strip()
    meeting.minutes_by = actor
    meeting.minutes_updated_at = timezone.now()
    meeting.save(update_fields=["minutes", "minutes_by", "minutes_updated_at", "updated_at"])
    return meeting


@transaction.atomic
def dm3_request(*, actor, followup: FollowUp) -> FollowUp:
    """Record that a party asked NAV for dialogue meeting 3 (NAV convenes it)."""
    followup = lock_followup(followup)
    if not can_handle_followup(actor, followup):
        raise NotAllowed()
    if followup.status != FollowUpStatus.OPEN:
        raise MeetingNotAllowed()
    case_signal(actor=actor, case_id=followup.case_id, name="dialogue_meeting_3_requested")
    followup.dm3_requested_at = timezone.now()
    followup.save(update_fields=["dm3_requested_at"])
    return followup


def _may_invite(actor, followup: FollowUp) -> bool:
    """The employer or the employee may call BHT in (NAV-DM1; C24-DM1)."""
    return actor.pk == followup.employee_id or can_handle_followup(actor, followup)


@transaction.atomic
def bht_invite(*, actor, followup: FollowUp, adviser) -> BhtInvitation:
    """Let one occupational health adviser see the case (until revoked)."""
    if not _may_invite(actor, followup):
        raise NotAllowed()
    if not has_role(adviser, OCCUPATIONAL_HEALTH):
        raise MeetingNotAllowed(
            gettext_lazy("Only members of the occupational health service can be invited.")
        )
    invitation = BhtInvitation.objects.filter(
        followup=followup, user=adviser, revoked_at__isnull=True
    ).first()
    if invitation is None:
        invitation = BhtInvitation.objects.create(
            followup=followup, user=adviser, invited_by=actor
        )
        notify(users=[adviser], kind=Kind.TASK_ASSIGNED, case=followup.case)
    return invitation


@transaction.atomic
def bht_revoke(*, actor, invitation: BhtInvitation) -> BhtInvitation:
    if not _may_invite(actor, invitation.followup):
        raise NotAllowed()
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation
