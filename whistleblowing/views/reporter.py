"""The anonymous side, open to everyone without logging in.

These views write no Django session, messages or logs of their own, read no
client headers except the client address (REMOTE_ADDR, or X-Forwarded-For from
a trusted proxy: varde/client_address.py), only for the daily-keyed rate-limit
HMAC, and keep uploads in memory until they are encrypted.
"""

from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from cases.exceptions import ApplicationError
from forms.builder import build_form
from forms.schemas import load_schema
from varde.idle import idle_logout_mark
from varde.languages import set_cookie
from whistleblowing import conf, ratelimit, receipts, session
from whistleblowing.conf import breakglass_public_key
from whistleblowing.exceptions import ChannelNotReady, ReceiptNotAccepted
from whistleblowing.forms import ReceiptLoginForm, ReceiptSavedForm, ReplyForm, ReportExtrasForm
from whistleblowing.models import Entry, EntryKind, HolderRole, Report
from whistleblowing.services import reporting
from whistleblowing.services.content import attachment_stream, entry_open
from whistleblowing.services.exclusions import reporter_visible_exclusions
from whistleblowing.services.members import active_holders
from whistleblowing.uploads import use_memory_uploads
from whistleblowing.views.guards import channel_view

REPORT_SCHEMA = "whistleblowing_report.json"


def _members():
    return list(active_holders(HolderRole.COMMITTEE).order_by("pk"))


@channel_view
def info(request):
    """Who the committee is, what happens to a report, deadlines, alternatives."""
    return render(request, "whistleblowing/reporter/info.html", {
        "members": _members(), "breakglass": breakglass_public_key() is not None,
        "retention_days": conf.retention_days(), "open_days": conf.open_retention_days(),
        "not_wb_days": conf.not_whistleblowing_retention_days(),
    })


@csrf_exempt  # the upload handlers must be set before CSRF reads the body
@channel_view
@require_http_methods(["GET", "POST"])
def report(request):
    use_memory_uploads(request)
    return _report(request)


@csrf_protect
def _report(request):
    members = _members()
    posted = request.method == "POST"
    form = build_form(load_schema(REPORT_SCHEMA), data=request.POST if posted else None)
    extras = ReportExtrasForm(request.POST if posted else None,
                              request.FILES if posted else None, members=members)
    error = None
    if posted:
        if not ratelimit.allow(request, "submit", conf.submit_rate_limit()):
            return render(request, "whistleblowing/reporter/rate_limited.html", status=429)
        if form.is_valid() and extras.is_valid():
            try:
                submission = reporting.report_submit(
                    data=form.cleaned_json(),
                    uploads=extras.cleaned_data["attachments"],
                    excluded_holder_id=extras.cleaned_data["exclude_member"],
                    language=translation.get_language(),
                )
            except ApplicationError as exc:
                error = exc.message
            else:
                # Rendered, not redirected: the receipt exists only in this response.
                return render(request, "whistleblowing/reporter/receipt.html", {
                    "receipt": submission.receipt, "saved_form": ReceiptSavedForm(),
                })
    return render(request, "whistleblowing/reporter/report.html", {
        "form": form, "extras": extras, "error": error,
        "files_lost": posted and bool(request.FILES),
        "ready": len(members) >= reporting.MIN_RECIPIENTS,
        "not_ready_message": ChannelNotReady.default_message,
    })


@channel_view
@require_POST
def receipt_saved(request):
    """The reporter confirms having saved the receipt before leaving the page."""
    form = ReceiptSavedForm(request.POST)
    if not form.is_valid():
        return render(request, "whistleblowing/reporter/receipt_not_confirmed.html", status=400)
    return redirect(reverse("whistleblowing:login") + "?saved=1")


@channel_view
@require_http_methods(["GET", "POST"])
def login(request):
    form = ReceiptLoginForm(request.POST or None)
    error = None
    if request.method == "POST":
        typed = receipts.normalize(request.POST.get("receipt", "")[:60])
        if not ratelimit.receipt_attempt(request, typed):
            return render(request, "whistleblowing/reporter/rate_limited.html", status=429)
        try:
            if not form.is_valid():
                raise ReceiptNotAccepted()
            found, case_sk = reporting.reporter_unlock(receipt_text=form.cleaned_data["receipt"])
        except ReceiptNotAccepted as exc:
            error = exc.message
            form = ReceiptLoginForm()  # never echo a receipt back into the page
        else:
            response = redirect("whistleblowing:case")
            session.reporter_session_start(request, response, found.pk, case_sk)
            # The follow-up pages are in the language the report was written
            # in (the switcher still changes it afterwards).
            language = reporting.report_language(report=found, case_sk=case_sk)
            if language:
                set_cookie(response, language)
            return response
    return render(request, "whistleblowing/reporter/login.html", {
        "form": form, "error": error, "saved": request.GET.get("saved") == "1",
    })


def _reporter_session(request):
    current = session.reporter_session(request)
    if current is None:
        return None, None
    report_id, case_sk = current
    found = Report.objects.filter(pk=report_id).first()
    if found is None:
        return None, None
    _warn_before_idle_logout(request)
    return found, case_sk


def _warn_before_idle_logout(request):
    idle_logout_mark(request, seconds=conf.REPORTER_IDLE_SECONDS,
                     extend_url=reverse("whistleblowing:extend"),
                     login_url=reverse("whistleblowing:login"))


@channel_view
@require_POST
def extend(request):
    """"Stay logged in" in the warning before the idle logout: reading the
    session starts its idle time again. Answers whether it was still alive
    (200 either way: nothing is logged for a session that ended)."""
    return JsonResponse({"signed_in": session.reporter_session(request) is not None})


def _expired(request):
    return render(request, "whistleblowing/reporter/session_ended.html", status=403)


@channel_view
def case(request):
    found, case_sk = _reporter_session(request)
    if found is None:
        return _expired(request)
    return render(request, "whistleblowing/reporter/case.html",
                  _case_context(found, case_sk, form=ReplyForm()))


def _case_context(found, case_sk, **extra) -> dict:
    return {
        "report": found,
        "entries": reporting.reporter_entries(report=found, case_sk=case_sk),
        "exclusions": reporter_visible_exclusions(found),
        "linked": list(found.linked.order_by("pk")),
        "checkin_pending": reporting.pending_checkin(found) is not None,
        **extra,
    }


@csrf_exempt
@channel_view
@require_POST
def reply(request):
    use_memory_uploads(request)
    return _reply(request)


@csrf_protect
def _reply(request):
    found, case_sk = _reporter_session(request)
    if found is None:
        return _expired(request)
    form = ReplyForm(request.POST, request.FILES)
    error = None
    if form.is_valid():
        try:
            reporting.reporter_post(report_id=found.pk, text=form.cleaned_data["text"],
                                    uploads=form.cleaned_data["attachments"],
                                    new_matter=form.cleaned_data["new_matter"])
        except ApplicationError as exc:
            error = exc.message
        else:
            return redirect("whistleblowing:case")
    return render(request, "whistleblowing/reporter/case.html",
                  _case_context(found, case_sk, form=form, error=error), status=400)


@channel_view
def attachment(request, entry_uuid):
    found, case_sk = _reporter_session(request)
    if found is None:
        return _expired(request)
    entry = Entry.objects.select_related("report").filter(
        report__in=[found.pk, *found.linked.values_list("pk", flat=True)], uuid=entry_uuid,
        kind=EntryKind.ATTACHMENT, visible_to_reporter=True,
    ).first()
    if entry is None:
        raise Http404
    meta = entry_open(entry, case_sk).data
    return download_response(meta, attachment_stream(entry, meta))


def download_response(meta: dict, chunks) -> StreamingHttpResponse:
    """Always a download, never rendered inline: the file is not trusted."""
    from urllib.parse import quote

    response = StreamingHttpResponse(chunks, content_type="application/octet-stream")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(meta['name'])}"
    response["Content-Length"] = str(meta["size"])
    return response


@channel_view
@require_POST
def logout(request):
    response = redirect("whistleblowing:info")
    session.reporter_session_end(request, response)
    return response
