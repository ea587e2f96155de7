"""The applicant's screens: apply, my applications, send documentation, appeal.

Upload views take the request before CSRF checking reads it
(``csrf_exempt`` outside, ``csrf_protect`` inside, as Django documents for
custom upload handlers): ``SizeLimitUploadHandler`` must be first in line so
that a 100 MB file is cut off at the limit while the other fields still
arrive and are shown again.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.exceptions import ApplicationError
from forms.builder import build_form
from forms.schemas import load_schema
from parking.access import is_appeal_body, is_parking_officer, is_physiotherapist
from parking.conf import appeal_body_name, controller_name, statement_comment_days
from parking.forms import (
    REPICK_NOTICE,
    AppealCommentForm,
    AppealForm,
    ApplicationConsentForm,
    DocumentationForm,
    RevocationCommentForm,
)
from parking.models import Application, Permit, PermitStatus, ReadKind, Zone
from parking.scoring import RANKING_RULE
from parking.selectors import (
    applicant_task,
    applications_of,
    decisions_of,
    health_data_readers,
    party_assessments,
    rank_of,
)
from parking.services.applications import (
    appeal_comment_submit,
    appeal_is_late,
    appeal_open_for_comment,
    appeal_submit,
    appeal_withdraw,
    appealable_decision,
    application_submit,
    decision_delivered,
    decisions_deliver_unread,
    documentation_supply,
    revocation_comment_submit,
    withdrawable_appeal,
)
from parking.services.documents import health_data_read
from parking.uploads import SizeLimitUploadHandler

APPLICATION_SCHEMA = "near_parking_application.json"
RENEWAL_FIELDS = ("zone", "applicant_role", "building", "reason", "days_per_week",
                  "vehicle_reference")


READ_LOG_PAGE = 25


def zone_choices() -> list[tuple[str, str]]:
    return [
        (zone.code, f"{zone.name} ({zone.campus})")
        for zone in Zone.objects.filter(active=True).order_by("campus", "name")
    ]


def _with_upload_limit(view):
    """Install the size-limiting upload handler, then check CSRF as usual."""
    protected = csrf_protect(view)

    @csrf_exempt
    def wrapper(request, *args, **kwargs):
        request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
        return protected(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _own_application(request, pk) -> Application:
    app = Application.objects.select_related("zone", "case").filter(pk=pk).first()
    if app is None or app.applicant_id != request.user.pk:
        raise Http404
    return app


@login_required
@require_GET
def my_applications(request):
    """Every application of the signed-in user, its status and waiting-list place."""
    user = request.user
    return render(request, "parking/my_applications.html", {
        "applications": applications_of(user),
        "is_officer": is_parking_officer(user),
        "is_physiotherapist": is_physiotherapist(user),
        "is_appeal_body": is_appeal_body(user),
    })


def _renewal_initial(request) -> dict:
    """Prefill a renewal from the permit's application (no health fields)."""
    permit_id = request.GET.get("fornyelse", "")
    if not permit_id.isdigit():
        return {}
    permit = Permit.objects.filter(pk=int(permit_id), holder=request.user,
                                   status=PermitStatus.ACTIVE).select_related(
        "application", "zone").first()
    if permit is None:
        return {}
    app = permit.application
    values = {
        "zone": permit.zone.code, "applicant_role": app.applicant_role,
        "building": app.building, "reason": app.reason, "days_per_week": app.days_per_week,
        "vehicle_reference": permit.vehicle_reference,
    }
    return {key: value for key, value in values.items() if key in RENEWAL_FIELDS and value}


@login_required
@_with_upload_limit
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def apply(request):
    """The application form with its documentation upload.

    On an error every field keeps its value; files cannot be kept by a
    browser, and the page says so next to the upload field.
    """
    schema = load_schema(APPLICATION_SCHEMA)
    posted = request.method == "POST"
    data = request.POST if posted else None
    form = build_form(schema, data=data, choices={"zones": zone_choices()},
                      initial=None if posted else _renewal_initial(request))
    documentation = DocumentationForm(data, request.FILES if posted else None, prefix="doc")
    consent = ApplicationConsentForm(data, prefix="consent")

    if posted:
        valid = all([form.is_valid(), documentation.is_valid(), consent.is_valid()])
        if valid:
            values = form.cleaned_json()
            uploads = documentation.cleaned_data["documents"]
            if values["reason"] == "health" and not uploads:
                documentation.add_error("documents", _(
                    "Attach a doctor's statement on your function or your municipal "
                    "disabled-parking card (PDF or image)."
                ))
            else:
                try:
                    app = application_submit(
                        applicant=request.user, data=values, uploads=uploads,
                        document_kind=documentation.cleaned_data["document_kind"],
                    )
                except ApplicationError as exc:
                    form.add_error(None, exc.message)
                else:
                    messages.success(request, _(
                        "Your application has been sent. We will tell you when it has been "
                        "decided; processing takes up to 4 weeks."
                    ))
                    return redirect("parking:application", pk=app.pk)

    return render(request, "parking/apply.html", {
        "controller": controller_name(),
        "form": form,
        "documentation": documentation,
        "consent": consent,
        "repick_notice": REPICK_NOTICE if posted else "",
        "has_errors": posted,
    })


@login_required
@require_GET
def application_detail(request, pk):
    """The applicant's own application: what they sent, status, letters, actions.

    Showing the functional limitation is a read of health information, so it
    is logged like any other.
    """
    app = _own_application(request, pk)
    try:
        health_data_read(reader=request.user, application=app, what=ReadKind.APPLICATION)
    except PermissionDenied:
        raise Http404 from None
    for decision in app.decisions.filter(first_read_at__isnull=True):
        decision_delivered(reader=request.user, decision_id=decision.pk)
    apps = {a.pk: a for a in applications_of(request.user)}
    assessments = party_assessments(app)
    if any(a.note for a in assessments):
        health_data_read(reader=request.user, application=app, what=ReadKind.ASSESSMENT_NOTE)
    appeals = list(app.appeals.order_by("submitted_at", "id"))
    if appeals:
        health_data_read(reader=request.user, application=app, what=ReadKind.APPEAL)
    for appeal in appeals:
        appeal.open_for_comment = appeal_open_for_comment(appeal)
        appeal.comment_until = (appeal.forwarded_at + timedelta(days=statement_comment_days())
                                if appeal.forwarded_at else None)
    return render(request, "parking/application_detail.html", {
        "notice_form": RevocationCommentForm(prefix="notice"),
        "comment_form": AppealCommentForm(prefix="comment"),
        "can_appeal": appealable_decision(app) is not None,
        "keep_appeal_task": applicant_task(app, "keep_appeal"),
        "withdrawable": withdrawable_appeal(app) is not None,
        "appeal_body": appeal_body_name(),
        "now": timezone.now(),
        "assessments": assessments,
        "appeals": appeals,
        "read_log": Paginator(health_data_readers(app), READ_LOG_PAGE).get_page(
            request.GET.get("side")),
        "app": apps[app.pk],
        "documents": list(app.documents.all()),
        "decisions": decisions_of(app),
        "rank": rank_of(app),
        "ranking_rule": RANKING_RULE,
        "schema": load_schema(APPLICATION_SCHEMA),
    })


@login_required
@_with_upload_limit
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def supply_documentation(request, pk):
    app = _own_application(request, pk)
    apps = {a.pk: a for a in applications_of(request.user)}
    view = apps[app.pk]
    if view.documentation_task is None:
        messages.info(request, _("No documentation is asked for in this application now."))
        return redirect("parking:application", pk=app.pk)
    posted = request.method == "POST"
    documentation = DocumentationForm(request.POST if posted else None,
                                      request.FILES if posted else None,
                                      prefix="doc", files_required=True)
    if posted and documentation.is_valid():
        try:
            documentation_supply(
                actor=request.user, application_id=app.pk,
                uploads=documentation.cleaned_data["documents"],
                kind=documentation.cleaned_data["document_kind"],
            )
        except ApplicationError as exc:
            documentation.add_error(None, exc.message)
        else:
            messages.success(request, _("Thank you. The documentation has been sent."))
            return redirect("parking:application", pk=app.pk)
    return render(request, "parking/supply.html", {
        "app": view,
        "documentation": documentation,
        "repick_notice": REPICK_NOTICE if posted else "",
    })


@login_required
@_with_upload_limit
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def appeal(request, pk):
    """Appeal a rejection or a place on the waiting list within three weeks."""
    app = _own_application(request, pk)
    # Seeing the decision here is receiving it (fvl. § 29).
    decisions_deliver_unread(reader=request.user, application=app)
    decision = appealable_decision(app)
    if decision is None:
        messages.info(request, _(
            "This application has no decision you can appeal now: it was decided after an "
            "appeal, or more than a year has passed since the appeal deadline."
        ))
        return redirect("parking:application", pk=app.pk)
    posted = request.method == "POST"
    form = AppealForm(request.POST if posted else None)
    documentation = DocumentationForm(request.POST if posted else None,
                                      request.FILES if posted else None, prefix="doc")
    if posted and form.is_valid() and documentation.is_valid():
        try:
            appeal_submit(
                actor=request.user, application_id=app.pk,
                grounds=form.cleaned_data["grounds"],
                uploads=documentation.cleaned_data["documents"],
                kind=documentation.cleaned_data["document_kind"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _(
                "Your appeal has been sent. You get a letter when it has been decided."
            ))
            return redirect("parking:application", pk=app.pk)
    return render(request, "parking/appeal.html", {
        "app": app,
        "decision": decision,
        "late": appeal_is_late(app),
        "appeal_body": appeal_body_name(),
        "form": form,
        "documentation": documentation,
        "repick_notice": REPICK_NOTICE if posted else "",
    })


def _send_comment(request, pk, form_class, prefix, submit, thanks):
    """Send the applicant's comment with ``submit``; back to the application."""
    app = _own_application(request, pk)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            submit(actor=request.user, application_id=app.pk,
                   comment=form.cleaned_data["comment"])
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, thanks)
    else:
        for error in form.errors.get("comment", []):
            messages.error(request, error)
    return redirect("parking:application", pk=app.pk)


@login_required
@require_POST
def revocation_comment(request, pk):
    """The holder's comment on an advance notice of revocation."""
    return _send_comment(request, pk, RevocationCommentForm, "notice", revocation_comment_submit,
                         _("Thank you. Your comment has been sent."))


@login_required
@require_POST
def appeal_comment(request, pk):
    """The applicant's comment on the first instance's statement to the appeal body."""
    return _send_comment(request, pk, AppealCommentForm, "comment", appeal_comment_submit,
                         _("Thank you. The appeal body gets your comment."))


@login_required
@require_POST
def appeal_withdraw_view(request, pk):
    """The applicant withdraws their pending appeal."""
    app = _own_application(request, pk)
    try:
        appeal_withdraw(actor=request.user, application_id=app.pk)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your appeal is withdrawn. The decision you appealed "
                                    "stands."))
    return redirect("parking:application", pk=app.pk)
