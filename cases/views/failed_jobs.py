"""The failed-jobs page for HSE administrators: retry or discard."""

from datetime import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.failed_jobs import failed_jobs_page
from cases.services.failed_jobs import JobNotFailed, failed_job_discard, failed_job_retry
from cases.views.admin_pages import hse_admin_required


def _before(raw: str) -> tuple[datetime, str] | None:
    if not raw:
        return None
    at, _sep, job_id = raw.partition("~")
    try:
        return datetime.fromisoformat(at), str(job_id)
    except ValueError as exc:
        raise Http404 from exc


@hse_admin_required
@require_GET
def failed_jobs(request):
    rows, next_key = failed_jobs_page(before=_before(request.GET.get("before", "")))
    next_before = f"{next_key[0].isoformat()}~{next_key[1]}" if next_key else ""
    return render(request, "cases/failed_jobs.html", {"jobs": rows, "next_before": next_before})


@hse_admin_required
@require_POST
def failed_job_action(request, job_id):
    action = request.POST.get("action")
    try:
        if action == "retry":
            failed_job_retry(job_id=str(job_id), actor_id=request.user.pk)
            messages.success(request, _("The job will run again shortly."))
        elif action == "discard":
            failed_job_discard(job_id=str(job_id), actor_id=request.user.pk)
            messages.success(request, _("The job was discarded."))
        else:
            raise Http404
    except JobNotFailed:
        messages.error(request, _("This job is no longer waiting here."))
    return redirect("cases:failed_jobs")
