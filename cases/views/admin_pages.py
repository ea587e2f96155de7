"""Pages for HSE administrators: cases stuck in error, installed definitions."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cases.access import is_hse_admin
from cases.models import ProcessDefinition
from cases.selectors import case_list_in_error


def hse_admin_required(view):
    """Signed-in HSE administrators only (403 for others).

    A superuser without the hse_admin group is refused too: superusers run the
    Django admin, Varde's roles decide who works with cases.
    """

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_hse_admin(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@hse_admin_required
@require_GET
def cases_in_error(request):
    cases = case_list_in_error().order_by("updated_at")
    return render(request, "cases/cases_in_error.html", {"cases": cases})


@hse_admin_required
@require_GET
def definitions(request):
    rows = (
        ProcessDefinition.objects.defer("spec_json", "sources", "forms")
        .annotate(case_count=Count("cases"))
        .order_by("process_id", "-version")
    )
    return render(request, "cases/definitions.html", {"definitions": rows})
