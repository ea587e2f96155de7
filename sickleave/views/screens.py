"""Overview screens: the start page, the leader's dashboard, HR's overdue
list and the statistics per unit."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from org.roles import UNIT_LEADER
from sickleave import selectors
from sickleave.roles import HR_ADVISOR, OCCUPATIONAL_HEALTH, has_role


@login_required
@require_GET
def home(request):
    """What the user has to do with sick leave: their own follow-up, and the
    screens of their roles."""
    user = request.user
    return render(request, "sickleave/home.html", {
        "own": selectors.employee_followups(user=user),
        "is_leader": has_role(user, UNIT_LEADER),
        "is_hr": has_role(user, HR_ADVISOR),
        "is_bht": has_role(user, OCCUPATIONAL_HEALTH),
        "bht_cases": selectors.bht_followups(user=user),
        "sees_statistics": selectors.statistics_units(user) != set(),
    })


@login_required
@require_GET
def leader_dashboard(request):
    if not has_role(request.user, UNIT_LEADER):
        raise PermissionDenied
    return render(request, "sickleave/leader_dashboard.html", {
        **selectors.leader_dashboard(user=request.user),
        "now": timezone.now(),
    })


@login_required
@require_GET
def hr_overview(request):
    if not has_role(request.user, HR_ADVISOR):
        raise PermissionDenied
    return render(request, "sickleave/hr_overview.html", {
        "units": selectors.hr_overdue(user=request.user),
    })


@login_required
@require_GET
def statistics(request):
    unit_ids = selectors.statistics_units(request.user)
    if unit_ids == set():
        raise PermissionDenied
    years = selectors.statistics_years()
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    if year not in years:
        year = timezone.localdate().year
    return render(request, "sickleave/statistics.html", {
        "year": year,
        "years": years,
        "rows": selectors.unit_statistics(year=year, unit_ids=unit_ids),
        "all_units": unit_ids is None,
        "rules": selectors.rules(),
    })
