"""Template helpers for the case screens and the site navigation."""

from django import template

from org.roles import HSE_ADMIN, ROLES, UNIT_LEADER
from org.selectors import user_role_names

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_roles(context) -> dict:
    """Which navigation entries the signed-in user gets (one query per page)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = user_role_names(user=user)
    return {
        "staff": bool(roles & set(ROLES)),
        "statistics": bool(roles & {HSE_ADMIN, UNIT_LEADER}),
        "hse_admin": HSE_ADMIN in roles,
    }


@register.filter
def label_for(labels, value):
    """``{{ labels|label_for:value }}``: the label of a stored code, else the code."""
    if not value:
        return ""
    return labels.get(value, value) if hasattr(labels, "get") else value


@register.filter
def labels_for(values, labels) -> str:
    """``{{ codes|labels_for:labels }}``: a list of codes as a comma-separated label list."""
    labels = labels if hasattr(labels, "get") else {}
    return ", ".join(str(labels.get(value, value)) for value in values or [])


@register.filter
def is_list(value) -> bool:
    return isinstance(value, list | tuple)


@register.filter
def date_only(moment) -> bool:
    """Kept with its date only (an anonymous report's arrival,
    ``cases.calendar.is_date_only``): show it without a time of day."""
    from cases.calendar import is_date_only

    return is_date_only(moment)


@register.filter
def due_shows_time(moment) -> bool:
    """A deadline is shown with its time of day unless it falls at the end of
    the working day (16:00, the day-counted deadlines) more than 24 hours
    away: a critical triage due within hours (or at the end of an anonymous
    report's 4-hour window) must not read as due on a later day."""
    from datetime import timedelta

    from django.utils import timezone

    from cases.calendar import END_OF_WORKING_DAY, OSLO

    if moment is None:
        return False
    local = moment.astimezone(OSLO).timetz().replace(tzinfo=None)
    if local != END_OF_WORKING_DAY:
        return True
    return abs(moment - timezone.now()) <= timedelta(hours=24)
