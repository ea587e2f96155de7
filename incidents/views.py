"""Reporting an HSE deviation (open to everyone) and the tertial statistics."""

import csv
import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.debug import SafeExceptionReporterFilter
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from cases.exceptions import ApplicationError
from cases.models import Case
from forms.builder import build_form
from forms.schemas import load_schema
from incidents.forms import ReportOptionsForm, TertialForm
from incidents.models import Severity
from incidents.ratelimit import report_allowed
from incidents.roles import SAFETY_REPRESENTATIVE
from incidents.selectors import PAGE_SIZE, area_deviations, injury_register, tertial_statistics
from incidents.services import PROCESS_ID, incident_report_submit
from org.models import Unit
from org.roles import HSE_ADMIN, HSE_COORDINATOR, UNIT_LEADER
from org.selectors import unit_ids_for_user, user_role_names

REPORT_SCHEMA = "incident_report.json"
REFERENCE = re.compile(r"^[A-Z]{1,10}-\d{4}-\d{5,}$")


class NoRequestMetaFilter(SafeExceptionReporterFilter):
    """Error reports of the report page leave out request headers.

    Django's error reports (e-mail to ADMINS, the debug page) list
    ``request.META``, which holds the client's IP address and user agent;
    anonymous reporting promises that neither is kept anywhere.
    """

    def get_safe_request_meta(self, request):
        return {}


def _unit_choices():
    return list(Unit.objects.order_by("name").values_list("code", "name"))


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def report(request):
    """The report form, for everyone, signed in or not.

    This view never writes to the session (no messages, no session keys), so
    a logged-out reporter gets no session row, and the receipt's reference
    travels in the redirect's query string instead. A valid report over the
    client's flood limit (incidents/ratelimit.py) comes back with the text kept
    and status 429.
    """
    request.exception_reporter_filter = NoRequestMetaFilter()
    signed_in = request.user.is_authenticated
    schema = load_schema(REPORT_SCHEMA)
    choices = {"units": _unit_choices()}
    data = request.POST if request.method == "POST" else None
    form = build_form(schema, data=data, choices=choices)
    options = ReportOptionsForm(data, prefix="options") if signed_in else None

    if data is not None and form.is_valid() and (options is None or options.is_valid()):
        anonymous = not signed_in or options.cleaned_data["anonymous"]
        if not report_allowed(request, anonymous=anonymous):
            form.add_error(None, _(
                "You have sent many reports in a short time, so this one has not been sent "
                "yet. What you wrote is kept below: please send it again a little later."
            ))
            return render(
                request,
                "incidents/report.html",
                {"form": form, "options": options, "signed_in": signed_in},
                status=429,
            )
        try:
            case = incident_report_submit(
                reporter=None if anonymous else request.user,
                data=form.cleaned_json(),
                anonymous=anonymous,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            receipt = reverse("incidents:receipt")
            return redirect(f"{receipt}?{urlencode({'ref': case.reference})}")

    return render(
        request,
        "incidents/report.html",
        {"form": form, "options": options, "signed_in": signed_in},
    )


@require_GET
def receipt(request):
    """Show the reference just given. Looks nothing up: the page cannot be
    used to learn whether a case exists or anything about it."""
    reference = request.GET.get("ref", "")
    if not REFERENCE.match(reference):
        raise Http404
    return render(request, "incidents/receipt.html", {"reference": reference})


def _statistics_scope(user) -> list[int] | None:
    """None (every unit) for HSE admins, their own units for unit leaders and
    HSE coordinators; 403 else."""
    roles = user_role_names(user=user)
    if HSE_ADMIN in roles:
        return None
    if roles & {UNIT_LEADER, HSE_COORDINATOR}:
        return unit_ids_for_user(user=user)
    raise PermissionDenied


def _first_year() -> int:
    """The year of the first deviation, so the year list covers every report."""
    first = (
        Case.objects.filter(definition__process_id=PROCESS_ID)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return timezone.localtime(first).year if first else timezone.localdate().year


def _category_labels() -> dict[str, str]:
    prop = load_schema(REPORT_SCHEMA).get("properties", {}).get("categories", {})
    labels = prop.get("x-enum-labels", {})
    return {value: _(labels.get(value, value)) for value in prop.get("items", {}).get("enum", [])}


def _severity_label(value: str) -> str:
    if not value:
        return _("Not yet categorised")
    try:
        return str(Severity(value).label)
    except ValueError:
        return value


def _statistics(request):
    unit_ids = _statistics_scope(request.user)
    form = TertialForm(request.GET or None, first_year=_first_year())
    year, tertial = form.period()
    stats = tertial_statistics(year, tertial, unit_ids=unit_ids)
    categories = _category_labels()
    return form, stats, {
        "severities": [(_severity_label(row.key), row) for row in stats.by_severity],
        "categories": [(categories.get(row.key, row.key), row) for row in stats.by_category],
        "units": [(row.name or _("No unit"), row) for row in stats.by_unit],
        "limited_to_units": unit_ids is not None,
    }


@login_required
@require_GET
def statistics(request):
    form, stats, tables = _statistics(request)
    return render(
        request, "incidents/statistics.html", {"form": form, "stats": stats, **tables}
    )


@login_required
@require_GET
def statistics_csv(request):
    """The same figures as one CSV table (section, name, total, open, closed)."""
    _form, stats, tables = _statistics(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"hms-avvik-{stats.year}-t{stats.tertial}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow([_("Section"), _("Name"), _("Total"), _("Open"), _("Closed")])
    summary = [
        (_("Reported"), stats.total), (_("Open"), stats.open), (_("Closed"), stats.closed),
        (_("Of which rejected"), stats.rejected), (_("Cancelled"), stats.cancelled),
        (_("Overdue"), stats.overdue), (_("Personal injuries"), stats.injuries),
        (_("Injuries with absence"), stats.lost_time),
    ]
    for name, value in summary:
        writer.writerow([_("Summary"), name, value, "", ""])
    for section, key in ((_("Severity"), "severities"), (_("Category"), "categories"),
                         (_("Unit"), "units")):
        for name, row in tables[key]:
            writer.writerow([section, name, row.total, row.open, row.closed])
    return response


# -- the safety representative (aml. §§ 5-1 (3), 6-2) -------------------------------


def _safety_rep_units(user) -> list[int]:
    """The units the user is safety representative for; 404 for everyone
    else (the pages are not a hint to other users)."""
    units = unit_ids_for_user(user=user) if SAFETY_REPRESENTATIVE in user_role_names(
        user=user) else []
    if not units:
        raise Http404
    return units


def _register_scope(user) -> list[int] | None:
    """Who reads the injury register: HSE admins (every unit); safety
    representatives, coordinators and leaders (their units); 404 else."""
    roles = user_role_names(user=user)
    if HSE_ADMIN in roles:
        return None
    if roles & {SAFETY_REPRESENTATIVE, HSE_COORDINATOR, UNIT_LEADER}:
        units = unit_ids_for_user(user=user)
        if units:
            return units
    raise Http404


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
@require_GET
def safety_deviations(request):
    """The deviations of the safety representative's area, without people
    or medical detail, paged."""
    units = _safety_rep_units(request.user)
    page = _page(request, area_deviations(units))
    return render(request, "incidents/safety_deviations.html", {
        "page": page, "rows": [(case, _severity_label(case.severity)) for case in page],
    })


@login_required
@require_GET
def safety_deviation(request, reference):
    """One deviation of the area, as the safety representative may read it."""
    units = _safety_rep_units(request.user)
    case = area_deviations(units).filter(reference=reference).first()
    if case is None:
        raise Http404
    return render(request, "incidents/safety_deviation.html", {
        "case": case, "report": getattr(case, "incident", None),
        "severity": _severity_label(case.severity),
        "category_labels": _category_labels(),
    })


@login_required
@require_GET
def injuries(request):
    """The injury register (who was hurt is not in it, nor how)."""
    units = _register_scope(request.user)
    page = _page(request, injury_register(units))
    return render(request, "incidents/injury_register.html", {
        "page": page, "rows": [(case, _severity_label(case.severity)) for case in page],
    })
