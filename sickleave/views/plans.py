"""The follow-up plan: write a new version, read one (page and PDF), the
employee's comments and confirmation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.exceptions import ApplicationError
from documents.pdf import pdf_response
from forms.builder import build_form
from forms.schemas import load_schema
from sickleave import services
from sickleave.access import access_followup, can_handle_followup, log_read
from sickleave.models import FollowUpStatus, PlanVersion, ReadKind
from sickleave.roles import is_leader_for
from sickleave.services.plans import PLAN_FIELDS

PLAN_SCHEMA = "sick_leave_plan.json"
COMMENT_SCHEMA = "sick_leave_plan_comment.json"


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request, reference):
    """A new version, starting from the latest one."""
    followup = access_followup(request.user, reference, what="")
    if (request.user.pk == followup.employee_id
            or not is_leader_for(request.user, followup.unit_id)
            or followup.status != FollowUpStatus.OPEN):
        raise PermissionDenied
    schema = load_schema(PLAN_SCHEMA)
    latest = followup.plan_versions.order_by("-number").first()
    if latest is not None:  # the form shows the latest version: a read
        log_read(request.user, followup, ReadKind.PLAN, f"v{latest.number}")
    if request.method == "POST":
        form = build_form(schema, data=request.POST)
        if form.is_valid():
            try:
                version = services.plan_version_create(
                    actor=request.user, followup=followup, data=form.cleaned_json()
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Plan version %(number)s is saved.")
                                 % {"number": version.number})
                return redirect("sickleave:plan", reference=reference, number=version.number)
    else:
        initial = {name: getattr(latest, name) for name in PLAN_FIELDS} if latest else {}
        form = build_form(schema, initial=initial)
    return render(request, "sickleave/plan_form.html", {
        "followup": followup, "case": followup.case, "form": form, "latest": latest,
    })


def _version(request, reference, number, *, what):
    followup = access_followup(request.user, reference, what=what, detail=f"v{number}")
    version = get_object_or_404(
        PlanVersion.objects.select_related("created_by"), followup=followup, number=number
    )
    return followup, version


@login_required
@require_GET
def plan_version(request, reference, number):
    followup, version = _version(request, reference, number, what=ReadKind.PLAN)
    user = request.user
    may_comment = user.pk == followup.employee_id or can_handle_followup(user, followup)
    return render(request, "sickleave/plan_version.html", {
        "followup": followup,
        "case": followup.case,
        "version": version,
        "comments": version.comments.select_related("author"),
        "latest_number": followup.plan_versions.order_by("-number")
        .values_list("number", flat=True).first(),
        "comment_form": build_form(load_schema(COMMENT_SCHEMA)) if may_comment else None,
        "can_confirm": user.pk == followup.employee_id and version.confirmed_at is None,
    })


@login_required
@require_GET
def plan_pdf(request, reference, number):
    """The plan for the doctor and NAV: the four parts of aml. § 4-6 (3)."""
    followup, version = _version(request, reference, number, what=ReadKind.PLAN_PDF)
    return pdf_response(
        "sickleave/plan_print.html",
        {"followup": followup, "case": followup.case, "version": version},
        request=request,
        filename=f"oppfolgingsplan-{followup.case.reference}-v{version.number}",
    )


@login_required
@require_POST
def plan_comment(request, reference, number):
    followup = access_followup(request.user, reference, what="")
    version = get_object_or_404(PlanVersion, followup=followup, number=number)
    form = build_form(load_schema(COMMENT_SCHEMA), data=request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a comment first."))
    else:
        try:
            services.plan_comment_add(actor=request.user, version=version,
                                      text=form.cleaned_json()["comment"])
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your comment is saved."))
    return redirect("sickleave:plan", reference=reference, number=number)


@login_required
@require_POST
def plan_confirm(request, reference, number):
    followup = access_followup(request.user, reference, what="")
    version = get_object_or_404(PlanVersion, followup=followup, number=number)
    try:
        services.plan_version_confirm(actor=request.user, version=version)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You have confirmed this version of the plan."))
    return redirect("sickleave:plan", reference=reference, number=number)
