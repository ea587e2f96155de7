"""The AMU start page, submitting a case, and members' demands for an
extra meeting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amu import selectors
from amu.access import current_seats, is_secretary, membership
from amu.forms import DemandForm, DocumentsForm
from amu.models import Body
from amu.services.demands import extra_meeting_demand, open_demands
from amu.services.submission import amu_case_submit, document_problem
from amu.views.support import apply_errors, display_labels, error_message
from cases.exceptions import ApplicationError
from forms.builder import build_form
from forms.schemas import load_schema

SUBMISSION_SCHEMA = "amu_submission.json"


@login_required
@require_GET
def home(request):
    user = request.user
    secretary = is_secretary(user)
    member_bodies = Body.objects.filter(
        pk__in=[m.body_id for m in current_seats(user) if not (m.observer or m.secretary)]
    )
    context = {
        **display_labels(),
        "is_secretary": secretary,
        "upcoming": selectors.upcoming_meetings(user=user),
        "my_cases": selectors.my_amu_cases(user=user),
        "member_bodies": [
            (body, DemandForm(prefix=f"demand-{body.pk}"),
             open_demands(body).filter(member__user=user).exists())
            for body in member_bodies
        ],
    }
    if secretary:
        context.update(
            tasks=selectors.secretary_tasks(),
            waiting=selectors.cases_waiting(),
            actions=selectors.open_actions(),
        )
    return render(request, "amu/home.html", context)


@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def submit(request):
    """Any employee may raise a case with AMU (forskrift § 3-16)."""
    schema = load_schema(SUBMISSION_SCHEMA)
    data = request.POST if request.method == "POST" else None
    form = build_form(schema, data=data)
    documents = DocumentsForm(data, request.FILES or None, prefix="documents")
    if data is not None and form.is_valid() and documents.is_valid():
        problems = {
            name: document_problem(upload)
            for name, files in documents.uploads().items() for upload in files
        }
        for name, problem in problems.items():
            if problem:
                documents.add_error(name, problem)
        if not documents.errors:
            try:
                amu_case = amu_case_submit(
                    actor=request.user, data=form.cleaned_json(), documents=documents.uploads()
                )
            except ApplicationError as exc:
                apply_errors(documents, exc)
            else:
                messages.success(
                    request,
                    _("Your case %(reference)s has been submitted to the AMU secretary.")
                    % {"reference": amu_case.case.reference},
                )
                return redirect("amu:case", reference=amu_case.case.reference)
    return render(request, "amu/submit.html", {"form": form, "documents": documents})


@login_required
@require_POST
def demand_meeting(request, code):
    body = get_object_or_404(Body, code=code)
    if membership(request.user, body) is None:
        error_message(request, ApplicationError(_("You are not a member of this body.")))
        return redirect("amu:home")
    form = DemandForm(request.POST, prefix=f"demand-{body.pk}")
    if not form.is_valid():
        messages.error(request, _("Give a reason for the extra meeting."))
        return redirect("amu:home")
    try:
        demand = extra_meeting_demand(
            actor=request.user, body=body, reason=form.cleaned_data["reason"]
        )
    except ApplicationError as exc:
        error_message(request, exc)
    else:
        if demand.case_id:
            messages.success(request, _("Two members have now demanded an extra meeting: the "
                                        "secretary will convene it."))
        else:
            messages.success(request, _("Your demand is recorded. The secretary convenes an "
                                        "extra meeting when one more member demands it."))
    return redirect("amu:home")
