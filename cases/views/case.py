"""The case page and the HSE administrator's actions on a case."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.template.loader import select_template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases import services
from cases.access import (
    access_case,
    can_administer_case,
    can_handle_case,
    can_read_case_health_data,
)
from cases.exceptions import ApplicationError
from cases.forms import CancelForm
from cases.models import CaseStatus
from cases.selectors import case_open_tasks, case_timeline
from cases.views.support import (
    OUTCOME_LABELS,
    schema_value_descriptions,
    schema_value_labels,
)
from cases.views.timeline import reporter_visible_answers, timeline_entries


def summary_template(case):
    """The process's own summary block (e.g. the incident report), if it has one."""
    return select_template(
        [f"cases/process/{case.process_id}_summary.html", "cases/process/default_summary.html"]
    )


def owner_summary_template(case):
    """What the process shows a single task's owner about the case (an
    incident: the place), if anything."""
    return select_template([
        f"cases/process/{case.process_id}_owner_summary.html",
        "cases/process/default_owner_summary.html",
    ])


def case_context(case) -> dict:
    """What every view of a case shows at the top (also used by the task page)."""
    severities = schema_value_labels("severity")
    return {
        "case": case,
        "summary_template": summary_template(case),
        "severity_label": severities.get(case.severity, case.severity),
        "severity_description": schema_value_descriptions("severity").get(case.severity, ""),
        "outcome_labels": OUTCOME_LABELS,
        "category_labels": schema_value_labels("categories"),
        "now": timezone.now(),
    }


@login_required
@require_GET
def case_detail(request, reference):
    case = access_case(request.user, reference)
    context = case_context(case)
    if not can_handle_case(request.user, case):
        events = list(case_timeline(case=case, public_only=True))
        answers = reporter_visible_answers(case, case_timeline(case=case))
        context.update(
            timeline=timeline_entries(case, events, for_reporter=True),
            reporter_answers=answers,
        )
        return render(request, "cases/case_reporter.html", context)

    admin = can_administer_case(request.user, case)
    context.update(
        timeline=timeline_entries(case, case_timeline(case=case), technical=admin,
                                  health=can_read_case_health_data(request.user, case)),
        open_tasks=case_open_tasks(case=case),
        is_admin=admin,
        cancel_form=CancelForm(prefix="cancel") if admin and case.is_open else None,
        can_retry=admin and case.status == CaseStatus.ERROR,
    )
    return render(request, "cases/case_detail.html", context)


def _admin_case(request, reference):
    """The case for an HSE administrator's action: 404 without access, 403 for others."""
    case = access_case(request.user, reference, handle=True)
    if not can_administer_case(request.user, case):
        raise PermissionDenied
    return case


@login_required
@require_POST
def case_cancel(request, reference):
    case = _admin_case(request, reference)
    form = CancelForm(request.POST, prefix="cancel")
    if not form.is_valid():
        messages.error(request, _("Give a reason for cancelling the case."))
        return redirect("cases:detail", reference=case.reference)
    try:
        services.case_cancel(
            actor=request.user, case_id=case.pk, reason=form.cleaned_data["reason"]
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The case has been cancelled."))
    return redirect("cases:detail", reference=case.reference)


@login_required
@require_POST
def case_retry(request, reference):
    case = _admin_case(request, reference)
    try:
        case = services.case_retry(actor=request.user, case_id=case.pk)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if case.status == CaseStatus.ERROR:
            messages.error(request, _("The retry failed again. See the error below."))
        else:
            messages.success(request, _("The case runs again."))
    return redirect("cases:detail", reference=case.reference)
