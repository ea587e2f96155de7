"""The employer brings an AMU decision to the Labour Inspection Authority
(aml. § 7-2 (4)–(5), forskrift § 4-6).

The employer records that it did (the secretary may record it for the
employer); the body's members are told at once, and the authority's
answer is recorded when it comes."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from amu.access import is_secretary, membership
from amu.exceptions import InvalidInput, NotAllowed
from amu.models import (
    AgendaItem,
    AppealOutcome,
    EmployerAppeal,
    MeetingStatus,
    Member,
    Outcome,
    Side,
)
from notifications.models import Kind
from notifications.services import notify


def can_record_appeal(user, item: AgendaItem) -> bool:
    """The secretary, or a voting member of the employer side of the body."""
    if is_secretary(user):
        return True
    seat = membership(user, item.meeting.body)
    return seat is not None and seat.side == Side.EMPLOYER and seat.voting


def _require(user, item: AgendaItem) -> None:
    if not can_record_appeal(user, item):
        raise NotAllowed(_(
            "Only the employer side or the secretary records the employer's appeal."
        ))


@transaction.atomic
def employer_appeal_record(*, actor, item: AgendaItem, brought_on: date, grounds: str,
                           reference: str = "") -> EmployerAppeal:
    _require(actor, item)
    item = AgendaItem.objects.select_related("meeting__body", "amu_case__case").get(pk=item.pk)
    if item.meeting.status != MeetingStatus.APPROVED or item.outcome != Outcome.ADOPTED:
        raise InvalidInput(_(
            "The employer can bring an adopted decision in approved minutes to the Labour "
            "Inspection Authority."
        ))
    errors = {}
    if brought_on is None or brought_on > timezone.localdate():
        errors["brought_on"] = gettext("Give the date the case was sent; it cannot be ahead.")
    if not grounds.strip():
        errors["grounds"] = gettext("Give the employer's grounds.")
    if errors:
        raise InvalidInput(extra={"errors": errors})
    try:
        with transaction.atomic():
            appeal = EmployerAppeal.objects.create(
                item=item, brought_on=brought_on, grounds=grounds.strip(),
                reference=reference.strip()[:100], recorded_by=actor,
                amu_informed_at=timezone.now(),
            )
    except IntegrityError:
        raise InvalidInput(_("The appeal is already recorded.")) from None
    members = (
        Member.objects.active_on(timezone.localdate()).filter(body=item.meeting.body)
        .select_related("user")
    )
    users = {m.user_id: m.user for m in members if m.user.is_active and m.user_id != actor.pk}
    notify(users=list(users.values()), kind=Kind.NEW_ACTIVITY, case=item.amu_case.case)
    return appeal


@transaction.atomic
def employer_appeal_outcome(*, actor, appeal: EmployerAppeal, outcome: str, outcome_on: date,
                            outcome_text: str = "") -> EmployerAppeal:
    appeal = EmployerAppeal.objects.select_for_update().select_related("item__meeting__body").get(
        pk=appeal.pk
    )
    _require(actor, appeal.item)
    if appeal.outcome:
        raise InvalidInput(_("The authority's answer is already recorded."))
    errors = {}
    if outcome not in AppealOutcome.values:
        errors["outcome"] = gettext("Choose the authority's answer.")
    if outcome_on is None or outcome_on < appeal.brought_on or outcome_on > timezone.localdate():
        errors["outcome_on"] = gettext(
            "Give the date of the answer: after the appeal was sent, not ahead."
        )
    if outcome in (AppealOutcome.CHANGED, AppealOutcome.SET_ASIDE) and not outcome_text.strip():
        errors["outcome_text"] = gettext("Say what the authority decided.")
    if errors:
        raise InvalidInput(extra={"errors": errors})
    appeal.outcome, appeal.outcome_on = outcome, outcome_on
    appeal.outcome_text = outcome_text.strip()
    appeal.save(update_fields=["outcome", "outcome_on", "outcome_text"])
    return appeal
