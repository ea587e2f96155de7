"""Panels the generic case pages include: the AMU case (pseudonymised as the
viewer requires), and on a deviation its link to AMU."""

from django import template

from amu import selectors
from amu.access import can_view_amu_case
from amu.models import AmuCase, ExtraMeetingDemand
from amu.views.support import display_labels
from cases.access import can_handle_case, can_view_case

register = template.Library()


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None)


@register.inclusion_tag("amu/_case_content.html", takes_context=True)
def amu_case_panel(context, case):
    """cases/process/amu_case_summary.html: what this viewer may read."""
    user = _user(context)
    amu_case = AmuCase.objects.select_related("case", "case__reporter", "body",
                                              "incident_case").filter(case=case).first()
    if user is None or amu_case is None or not can_view_amu_case(user, amu_case):
        return {"view": None}
    return {
        "view": selectors.case_view(amu_case=amu_case, user=user),
        "can_open_incident": amu_case.incident_case is not None
        and can_view_case(user, amu_case.incident_case),
        "request": context.get("request"),
        **display_labels(),
    }


@register.inclusion_tag("amu/_incident_panel.html", takes_context=True)
def amu_incident_panel(context, case):
    """On a deviation's pages: its AMU cases, and the button to raise it."""
    user = _user(context)
    if user is None or not can_handle_case(user, case):
        return {"show": False}
    return {
        "show": True,
        "case": case,
        "escalations": AmuCase.objects.filter(incident_case=case).select_related("case"),
        "request": context.get("request"),
    }


@register.inclusion_tag("amu/_extra_meeting_panel.html")
def amu_extra_meeting_panel(case):
    demands = ExtraMeetingDemand.objects.filter(case=case).select_related(
        "body", "member__user", "meeting"
    )
    return {"demands": demands}
