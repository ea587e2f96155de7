"""System check: a production server needs the receipt pepper."""

from django.conf import settings
from django.core.checks import Error, register


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
