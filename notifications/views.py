from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.views.decorators.http import require_POST

from cases.access import (
    can_handle_case,
    can_view_case,
    case_url,
    is_hse_admin,
    is_task_owner,
)
from notifications import selectors, services
from notifications.forms import PreferenceForm
from notifications.models import Notification


@login_required
def notification_list(request):
    notifications = selectors.notification_list(user=request.user)[:200]
    return render(request, "notifications/list.html", {"notifications": notifications})


@login_required
def notification_open(request, pk: int):
    """Mark read and go to the case (or the list if the case is gone or hidden)."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    services.notification_mark_read(user=request.user, notification_id=notification.pk)
    case = notification.case
    if case is not None and (
        can_view_case(request.user, case) or can_handle_case(request.user, case)
    ):
        return redirect(case_url(case))
    task = notification.task
    if task is not None and is_task_owner(request.user, task):
        # A single task's owner has their task, not the case (least privilege).
        return redirect("cases:task", pk=task.pk)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_mark_all_read(request):
    services.notification_mark_read(user=request.user)
    return redirect("notifications:list")


@login_required
def preferences(request):
    pref = services.preference_for(request.user)
    form = PreferenceForm(request.POST or None, instance=pref,
                          initial={"language": translation.get_language()})
    if request.method == "POST" and form.is_valid():
        services.preference_update(
            user=request.user,
            delivery=form.cleaned_data["delivery"],
            language=form.cleaned_data["language"],
        )
        return redirect("notifications:list")
    return render(request, "notifications/preferences.html", {"form": form})


@login_required
def failed_emails(request):
    if not is_hse_admin(request.user):
        raise Http404
    return render(
        request, "notifications/failed_emails.html",
        {"emails": selectors.emails_needing_attention()[:500]},
    )
