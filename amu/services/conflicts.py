"""Conflicts of interest: a member who is a party to a case, or otherwise
disqualified, steps aside and does not vote on it (forvaltningsloven § 6).
The member declares it, or the secretary records it for them; votes the
member already cast on the case at an undecided item are withdrawn. Once
the member's body has decided the case, a conflict can no longer be
declared: the decision and its minutes stand as voted."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from amu.access import is_secretary
from amu.exceptions import InvalidInput, NotAllowed
from amu.models import AgendaItem, AmuCase, ConflictDeclaration, Member, Outcome, Vote


@transaction.atomic
def conflict_declare(*, actor, amu_case: AmuCase, member: Member,
                     reason: str) -> ConflictDeclaration:
    if member.user_id != actor.pk and not is_secretary(actor):
        raise NotAllowed(_("Members declare their own conflicts; the secretary may record one."))
    if member.body_id != amu_case.body_id:
        raise InvalidInput(_("The member does not sit on the body handling the case."))
    if AgendaItem.objects.filter(amu_case=amu_case, meeting__body_id=member.body_id).exclude(
        outcome__in=("", Outcome.POSTPONED)
    ).exists():
        raise InvalidInput(_(
            "The case has been decided: a conflict of interest is declared before the decision, "
            "and the minutes keep the votes as cast."
        ))
    reason = reason.strip()
    if not reason:
        raise InvalidInput(extra={"errors": {"reason": gettext(
            "Say why you are disqualified, for example that you are a party to the case."
        )}})
    try:
        with transaction.atomic():
            conflict = ConflictDeclaration.objects.create(
                amu_case=amu_case, member=member, reason=reason[:2000], declared_by=actor
            )
    except IntegrityError:
        raise InvalidInput(_("The conflict of interest is already recorded.")) from None
    Vote.objects.filter(item__amu_case=amu_case, item__outcome="", member=member).delete()
    return conflict
