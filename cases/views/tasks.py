"""The task page (read, or fill in the step's form) and claim, release and
reassign. Every change goes through ``cases.services``; an
``ApplicationError`` becomes a message for the user."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from cases import services
from cases.access import (
    access_task,
    can_handle_case,
    can_read_case_health_data,
    can_reassign,
    can_work_on_task,
    is_candidate,
    sees_task_only,
)
from cases.exceptions import ApplicationError, InvalidTaskData
from cases.forms import DisqualifyForm, ReassignForm
from cases.models import CaseStatus, TaskState
from cases.parties import is_barred_from_task
from cases.selectors import task_completion
from cases.services.prefill import task_form_initial
from cases.views.case import case_context, owner_summary_template
from cases.views.support import build_task_form, redirect_back, role_label
from cases.views.timeline import completed_answers


def _staff_task(request, pk):
    """The task if the user may handle its case; 404 otherwise, even for
    the case's reporter, who follows the case on the case page."""
    task = access_task(request.user, pk)
    if not can_handle_case(request.user, task.case):
        raise Http404
    return task


def _task_for_page(request, pk):
    """The task for its page: staff, or the task's own owner (who gets the
    owner's view only)."""
    task = access_task(request.user, pk)
    if not (sees_task_only(request.user, task) or can_handle_case(request.user, task.case)):
        raise Http404
    return task


def _apply_service_errors(form, exc: ApplicationError) -> None:
    """Put the service's complaint next to the fields it names, or on top."""
    if isinstance(exc, InvalidTaskData):
        for key, message in exc.extra.get("errors", {}).items():
            if key in form.fields:
                form.add_error(key, message)
            elif key == "__all__":
                form.add_error(None, message)
            elif key.split(".")[0] in getattr(form, "row_groups", {}):
                # A JSON path into a row group: "measures.0.deadline".
                form.add_path_error(
                    tuple(int(part) if part.isdigit() else part for part in key.split(".")),
                    message,
                )
            else:
                form.add_error(None, f"{key}: {message}")
        if form.errors:
            return
    form.add_error(None, exc.message)


@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def task_detail(request, pk):
    task = _task_for_page(request, pk)
    user = request.user
    can_work = can_work_on_task(user, task)
    form = None
    if can_work and request.method == "POST":
        form = build_task_form(task, data=request.POST)
        if form is not None and form.is_valid():
            try:
                services.task_complete(actor=user, task_id=task.pk, data=form.cleaned_json())
            except ApplicationError as exc:
                _apply_service_errors(form, exc)
            else:
                return _after_completion(request, task)
    elif request.method == "POST":
        messages.error(request, _("You cannot complete this task."))
        return redirect("cases:task", pk=task.pk)
    elif can_work:
        form = build_task_form(task, initial=task_form_initial(task=task))
    return _render_task(request, task, form=form, can_work=can_work)


def _render_task(request, task, *, form, can_work, disqualify_form=None):
    user = request.user
    if sees_task_only(user, task):
        return _owner_page(request, task, form, can_work)
    context = case_context(task.case)
    context.update(
        task=task,
        form=form,
        can_work=can_work,
        is_open=task.state == TaskState.READY,
        can_claim=task.state == TaskState.READY
        and task.assignee_id is None
        and is_candidate(user, task),
        can_release=task.state == TaskState.READY
        and task.assignee_id is not None
        and (task.assignee_id == user.pk or can_reassign(user, task)),
        reassign_form=ReassignForm(prefix="reassign") if can_reassign(user, task) else None,
        group_label=role_label(task.candidate_group.name) if task.candidate_group else "",
        overdue=bool(task.due_at and task.due_at < timezone.now()),
        disqualified=is_barred_from_task(user, task),
        disqualify_form=disqualify_form or (
            DisqualifyForm(prefix="disqualify") if task.state == TaskState.READY else None
        ),
    )
    return render(request, "cases/task_detail.html", context)


def _owner_page(request, task, form, can_work):
    """Least privilege: the task, the case's title and what the process shows
    an owner (an incident: the place), never people, health or other work."""
    return render(request, "cases/task_owner.html", {
        "task": task,
        "case": task.case,
        "form": form,
        "can_work": can_work,
        "is_open": task.state == TaskState.READY,
        "owner_summary_template": owner_summary_template(task.case),
        "answers": completed_answers(task.case, task_completion(task=task),
                                     health=can_read_case_health_data(request.user, task.case)),
        "overdue": bool(task.due_at and task.due_at < timezone.now()),
    })


def _after_completion(request, task):
    task.case.refresh_from_db()
    if task.case.status == CaseStatus.ERROR:
        messages.error(
            request,
            _(
                "Your input was saved, but the next step failed; HSE administrators "
                "have been notified."
            ),
        )
    else:
        messages.success(
            request, _("“%(task)s” is done.") % {"task": task.title}
        )
    if sees_task_only(request.user, task):
        return redirect("cases:task", pk=task.pk)
    return redirect("cases:detail", reference=task.case.reference)


@login_required
@require_POST
def task_claim(request, pk):
    task = _staff_task(request, pk)
    if not is_candidate(request.user, task):
        raise PermissionDenied
    try:
        services.task_claim(actor=request.user, task_id=task.pk)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect_back(request, reverse("cases:task", args=[task.pk]))
    messages.success(request, _("You have claimed “%(task)s”.") % {"task": task.title})
    return redirect("cases:task", pk=task.pk)


@login_required
@require_POST
def task_unclaim(request, pk):
    task = _staff_task(request, pk)
    if task.assignee_id != request.user.pk and not can_reassign(request.user, task):
        raise PermissionDenied
    try:
        services.task_unclaim(actor=request.user, task_id=task.pk)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("“%(task)s” is back in the group queue.") % {"task": task.title}
        )
    return redirect_back(request, reverse("cases:queue"))


@login_required
@require_POST
def task_reassign(request, pk):
    task = _staff_task(request, pk)
    if not can_reassign(request.user, task):
        raise PermissionDenied
    form = ReassignForm(request.POST, prefix="reassign")
    if not form.is_valid():
        for error in form.errors.get("username", []):
            messages.error(request, error)
        return redirect("cases:task", pk=task.pk)
    try:
        services.task_reassign(actor=request.user, task_id=task.pk, assignee=form.user)
    except ApplicationError as exc:
        message = exc.message
        if exc.extra.get("reason") == "assignee_disqualified":
            message = _("%(user)s is a party to this case or disqualified from it.") % {
                "user": exc.extra.get("assignee", "")
            }
        if exc.extra.get("reason") == "assignee_not_candidate":
            message = _("%(user)s cannot do this task (wrong role or unit).") % {
                "user": exc.extra.get("assignee", "")
            }
        messages.error(request, message)
    else:
        messages.success(
            request,
            _("“%(task)s” is now assigned to %(user)s.")
            % {"task": task.title, "user": form.user.get_username()},
        )
    return redirect("cases:task", pk=task.pk)


@login_required
@require_POST
def task_disqualify(request, pk):
    """Anyone who may handle the case declares themselves disqualified from it."""
    task = _staff_task(request, pk)
    form = DisqualifyForm(request.POST, prefix="disqualify")
    if form.is_valid():
        try:
            services.task_declare_disqualified(
                actor=request.user, task_id=task.pk, reason=form.cleaned_data["reason"]
            )
        except ApplicationError as exc:
            form.add_error("reason", exc.message)
    if not form.is_valid():
        # The page again, with the error next to the field and the text kept.
        can_work = can_work_on_task(request.user, task)
        task_form = build_task_form(task, initial=task_form_initial(task=task)) if can_work \
            else None
        response = _render_task(request, task, form=task_form, can_work=can_work,
                                disqualify_form=form)
        response.status_code = 400
        return response
    messages.success(
        request, _("You are recorded as disqualified; the group handles the case without you.")
    )
    return redirect("cases:queue")
