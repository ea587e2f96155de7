"""My cases and the task queue."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cases.access import cases_handled_among
from cases.forms import QueueFilterForm
from cases.selectors import (
    QueueFilters,
    case_list_reported_by,
    task_queue_escalated,
    task_queue_groups,
    task_queue_mine,
)
from cases.views.support import (
    OUTCOME_LABELS,
    has_staff_role,
    labelled_choices,
    schema_value_labels,
    sees_escalations,
    unit_choices,
)


@login_required
@require_GET
def my_cases(request):
    """The user's own reports, and tasks assigned to them by name (e.g. a
    corrective action), which users without a staff role find here."""
    return render(
        request,
        "cases/my_cases.html",
        {
            "cases": case_list_reported_by(user=request.user).order_by("-updated_at"),
            "my_tasks": task_queue_mine(user=request.user),
            "outcome_labels": OUTCOME_LABELS,
            "now": timezone.now(),
        },
    )


def _marked_owner_only(user, tasks) -> list:
    """The tasks, each marked ``owner_only`` when its case is closed to the
    user (an action's owner): the list then shows neither a case link, which
    would answer 404, nor the severity (least privilege)."""
    tasks = list(tasks)
    handled = cases_handled_among(user, [task.case for task in tasks])
    for task in tasks:
        task.owner_only = task.case_id not in handled
    return tasks


@login_required
@require_GET
def queue(request):
    """Open tasks, soonest due first: mine, my groups' and (for leads) escalated.

    Open to every signed-in user; the selectors decide what each one sees,
    so a measure owner without a role sees only their own tasks.
    """
    severities = schema_value_labels("severity")
    categories = schema_value_labels("categories")
    form = QueueFilterForm(
        request.GET or None,
        severities=labelled_choices(severities),
        units=unit_choices(),
        categories=labelled_choices(categories),
    )
    filters = form.filters()
    staff = has_staff_role(request.user)
    context = {
        "filter_form": form,
        "filtered": filters != QueueFilters(),
        "mine": _marked_owner_only(request.user, task_queue_mine(user=request.user,
                                                                 filters=filters)),
        "groups": task_queue_groups(user=request.user, filters=filters) if staff else None,
        "escalated": task_queue_escalated(user=request.user)
        if sees_escalations(request.user)
        else None,
        "severity_labels": severities,
        "now": timezone.now(),
    }
    return render(request, "cases/queue.html", context)
