"""Helpers of the AMU views: service errors onto forms and into messages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from amu.access import is_secretary
from amu.exceptions import InvalidInput
from cases.exceptions import ApplicationError
from cases.views.support import schema_value_labels


def apply_errors(form, exc: ApplicationError) -> None:
    """Field errors next to their fields, anything else on top of the form."""
    errors = exc.extra.get("errors", {}) if isinstance(exc, InvalidInput) else {}
    for field, message in errors.items():
        if form is not None and field in form.fields:
            form.add_error(field, message)
        elif form is not None:
            form.add_error(None, message)
    if form is not None and not errors:
        form.add_error(None, exc.message)


def error_message(request, exc: ApplicationError) -> None:
    errors = exc.extra.get("errors", {}) if isinstance(exc, InvalidInput) else {}
    messages.error(request, " ".join(str(m) for m in errors.values()) or exc.message)


def require_secretary(request) -> None:
    if not is_secretary(request.user):
        raise PermissionDenied


def display_labels() -> dict:
    """Labels of stored codes the AMU case panel shows, and the date and time
    that overdue markers compare with."""
    return {
        "category_labels": schema_value_labels("categories"),
        "severity_labels": schema_value_labels("severity"),
        "today": timezone.localdate(),
        "now": timezone.now(),
    }
