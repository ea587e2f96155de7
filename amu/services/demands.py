"""Two members may demand an extra meeting (forskrift om organisering,
ledelse og medvirkning § 3-16); the second demand gives the secretary a
task (process amu_extra_meeting)."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import assign_perm

from amu.access import membership
from amu.exceptions import InvalidInput, NotAMember
from amu.models import Body, ExtraMeetingDemand
from amu.roles import AMU_SECRETARY
from cases.services import case_start

PROCESS_ID = "amu_extra_meeting"
DEMANDS_NEEDED = 2


def open_demands(body: Body):
    return ExtraMeetingDemand.objects.filter(body=body, case__isnull=True).select_related(
        "member__user"
    )


@transaction.atomic
def extra_meeting_demand(*, actor, body: Body, reason: str) -> ExtraMeetingDemand:
    """Record a member's demand. With the second member's demand the
    secretary gets the task of convening the meeting."""
    body = Body.objects.select_for_update().get(pk=body.pk)  # one count at a time per body
    member = membership(actor, body)
    if member is None or member.observer or member.secretary:
        raise NotAMember(
            _("Only members of %(body)s can demand a meeting of it.") % {"body": body.name}
        )
    if not reason.strip():
        raise InvalidInput(extra={"errors": {"reason": gettext("Give a reason.")}})
    if open_demands(body).filter(member__user=actor).exists():
        raise InvalidInput(_("You have already demanded an extra meeting of %(body)s.")
                           % {"body": body.name})
    demand = ExtraMeetingDemand.objects.create(body=body, member=member, reason=reason.strip())
    waiting = list(open_demands(body))
    if len({d.member.user_id for d in waiting}) >= DEMANDS_NEEDED:
        with translation.override(settings.LANGUAGE_CODE):  # stored: the site's language
            title = gettext("Extra meeting of %(body)s") % {"body": body.name}
        case = case_start(
            process_id=PROCESS_ID,
            title=title,
            data={"body": body.code, "demand_ids": [d.pk for d in waiting]},
            reporter=None, unit=None, actor=actor,
        )
        assign_perm("cases.view_case", Group.objects.get(name=AMU_SECRETARY), case)
        ExtraMeetingDemand.objects.filter(pk__in=[d.pk for d in waiting]).update(case=case)
        demand.case = case
    return demand
