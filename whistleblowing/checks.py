"""System checks: a production server needs the receipt pepper, and should
name where overdue work escalates."""

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def receipt_pepper_set(app_configs, **kwargs):
    if settings.DEBUG or getattr(settings, "VARDE_RECEIPT_PEPPER", ""):
        return []
    return [Error(
        "VARDE_RECEIPT_PEPPER is not set.",
        hint="Set it in the environment (a long random secret kept outside the database "
             "and its backups). The whistleblowing channel refuses to work without it.",
        id="whistleblowing.E001",
    )]


@register()
def escalation_configured(app_configs, **kwargs):
    """Overdue work escalates to the committee's leader, then to the person
    responsible for the channel: a production server should name both."""
    if settings.DEBUG:
        return []
    warnings = []
    if not getattr(settings, "VARDE_WB_COMMITTEE_LEADER", ""):
        warnings.append(Warning(
            "VARDE_WB_COMMITTEE_LEADER is not set.",
            hint="Name the committee leader's user name: overdue whistleblowing work "
                 "escalates to the leader after the members.",
            id="whistleblowing.W001",
        ))
    if not getattr(settings, "VARDE_WB_CHANNEL_RESPONSIBLE_EMAIL", ""):
        warnings.append(Warning(
            "VARDE_WB_CHANNEL_RESPONSIBLE_EMAIL is not set.",
            hint="Name the address of the person the routine makes responsible for the "
                 "channel: long-overdue work gets a content-free notice there.",
            id="whistleblowing.W002",
        ))
    return warnings
