"""The AMU case page, its documents and the secretary's summary, and
raising a reported deviation with AMU."""

import mimetypes
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amu import selectors
from amu.access import access_amu_case, is_secretary, is_submitter, sees_confidential
from amu.forms import DocumentUploadForm, SummaryForm
from amu.models import CaseDocument
from amu.services.submission import (
    amu_case_escalate_incident,
    amu_case_summary_update,
    document_add,
)
from amu.views.support import apply_errors, display_labels, error_message, require_secretary
from cases.access import access_case, can_handle_case, can_view_case
from cases.exceptions import ApplicationError
from forms.builder import build_form
from forms.schemas import load_schema

ESCALATION_SCHEMA = "amu_escalation.json"


@login_required
@require_GET
def case_detail(request, reference):
    amu_case = access_amu_case(request.user, reference)
    secretary = is_secretary(request.user)
    may_upload = (secretary or is_submitter(request.user, amu_case)) and amu_case.case.is_open
    return render(request, "amu/case_detail.html", {
        "view": selectors.case_view(amu_case=amu_case, user=request.user),
        "amu_case": amu_case,
        "case": amu_case.case,
        "is_secretary": secretary,
        "upload_form": DocumentUploadForm(prefix="upload") if may_upload else None,
        "summary_form": SummaryForm(initial={"summary": amu_case.summary}, prefix="summary")
        if secretary else None,
        "can_open_case": can_view_case(request.user, amu_case.case),
        "can_open_incident": amu_case.incident_case is not None
        and can_view_case(request.user, amu_case.incident_case),
        **display_labels(),
    })


@login_required
@require_GET
def document_download(request, reference, pk):
    """Files are never public: the case's access rules decide."""
    amu_case = access_amu_case(request.user, reference)
    if not sees_confidential(request.user, amu_case):
        raise Http404
    document = get_object_or_404(CaseDocument, pk=pk, amu_case=amu_case)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    filename = document.title or Path(document.file.name).name
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    # Only PDFs open in the browser; anything else is downloaded, so an
    # uploaded file can never run as a page of this site.
    return FileResponse(handle, filename=filename, content_type=content_type,
                        as_attachment=content_type != "application/pdf")


@login_required
@require_POST
def document_upload(request, reference):
    amu_case = access_amu_case(request.user, reference)
    form = DocumentUploadForm(request.POST, request.FILES, prefix="upload")
    if not form.is_valid():
        messages.error(request, _("Choose the kind of document and a file."))
        return redirect("amu:case", reference=reference)
    try:
        document = document_add(actor=request.user, amu_case=amu_case,
                                kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"])
    except ApplicationError as exc:
        error_message(request, exc)
    else:
        messages.success(request, _("“%(title)s” was added.") % {"title": document.title})
    return redirect("amu:case", reference=reference)


@login_required
@require_POST
def summary_update(request, reference):
    require_secretary(request)
    amu_case = access_amu_case(request.user, reference)
    form = SummaryForm(request.POST, prefix="summary")
    if form.is_valid():
        amu_case_summary_update(actor=request.user, amu_case=amu_case,
                                summary=form.cleaned_data["summary"])
        messages.success(request, _("The summary for the members was saved."))
    return redirect("amu:case", reference=reference)


@login_required
@require_http_methods(["GET", "POST"])
def escalate_incident(request, reference):
    """From a deviation's case page: raise it with AMU, keeping the link."""
    incident_case = access_case(request.user, reference, handle=True)
    if incident_case.process_id != "incident" or not can_handle_case(request.user, incident_case):
        raise Http404
    data = request.POST if request.method == "POST" else None
    form = build_form(load_schema(ESCALATION_SCHEMA), data=data)
    if data is not None and form.is_valid():
        try:
            amu_case = amu_case_escalate_incident(
                actor=request.user, incident_case=incident_case, data=form.cleaned_json()
            )
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The deviation is now before AMU as %(reference)s.")
                             % {"reference": amu_case.case.reference})
            return redirect("cases:detail", reference=incident_case.reference)
    return render(request, "amu/escalate.html", {"form": form, "incident_case": incident_case})
