"""Screens of the case officers and the occupational physiotherapists: the
allocation board per zone and the assessment queue with its assessment page.

Officers complete their own steps (completeness, allocation, offer,
revocation) on the generic task page, where the case summary shows the
score, the zone and the ranking; the physiotherapists' assessment needs the
documentation beside the rubric, so it has its own page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import services as case_services
from cases.access import can_work_on_task, is_candidate
from cases.exceptions import ApplicationError, InvalidTaskData
from cases.models import Case, CaseStatus, Task, TaskState
from forms.builder import build_form
from forms.schemas import load_schema
from parking.access import is_appeal_body, is_parking_officer, is_physiotherapist
from parking.forms import AssessmentNoteForm
from parking.models import Appeal, ReadKind, Zone
from parking.roles import PROCESS_ID
from parking.scoring import RANKING_RULE, suggested_days_score
from parking.selectors import (
    ASSESSMENT_TASKS,
    appeals_before_body,
    application_for_case,
    first_assessor,
    officer_tasks_by_zone,
    permit_tasks,
    zone_board,
)
from parking.selectors import (
    assessment_queue as queue_tasks,
)
from parking.services.applications import assessment_submit
from parking.services.documents import health_data_read

APPLICATION_SCHEMA = "near_parking_application.json"
APPEALS_PER_PAGE = 25


def _require_officer(user):
    if not is_parking_officer(user):
        raise PermissionDenied


def _require_appeal_body(user):
    if not is_appeal_body(user):
        raise PermissionDenied


@login_required
@require_GET
def appeal_body_list(request):
    """The appeal body's list: the appeals sent to it, those to decide first
    (paged). Nobody else gets it; its members see no other case."""
    _require_appeal_body(request.user)
    page = Paginator(appeals_before_body(), APPEALS_PER_PAGE).get_page(request.GET.get("side"))
    return render(request, "parking/appeal_body.html", {"page_obj": page, "now": timezone.now()})


def _require_physiotherapist(user):
    if not is_physiotherapist(user):
        raise PermissionDenied


@login_required
@require_GET
def allocation_board(request, zone=None):
    """Per zone: capacity, active permits, permits expiring within 30 days,
    spots held for offers, the ranked waiting list with its explanation,
    and the officers' open tasks."""
    _require_officer(request.user)
    zones = Zone.objects.order_by("campus", "name")
    if zone is not None:
        zones = zones.filter(code=zone)
        if not zones.exists():
            raise Http404
    grouped, loose = officer_tasks_by_zone(request.user)
    boards = [zone_board(z, tasks_by_zone=grouped) for z in zones]
    revoke_tasks = permit_tasks([p for board in boards for p in board.permits])
    for board in boards:
        for permit in board.permits:
            permit.revoke_task = revoke_tasks.get(permit.pk)
    in_error = Case.objects.filter(definition__process_id=PROCESS_ID,
                                   status=CaseStatus.ERROR).order_by("created_at")
    return render(request, "parking/board.html", {
        "boards": boards,
        "all_zones": Zone.objects.order_by("campus", "name"),
        "selected": zone,
        "loose_tasks": loose if zone is None else [],
        "in_error": in_error,
        "ranking_rule": RANKING_RULE,
        "now": timezone.now(),
    })


@login_required
@require_GET
def assessment_queue(request):
    _require_physiotherapist(request.user)
    tasks = queue_tasks(request.user)
    for task in tasks:
        task.blocked = task.bpmn_id == "reassess" and first_assessor(task.case) == request.user
    return render(request, "parking/assessment_queue.html", {
        "mine": [t for t in tasks if t.assignee_id == request.user.pk],
        "unclaimed": [t for t in tasks if t.assignee_id is None],
        "others": [t for t in tasks if t.assignee_id not in (None, request.user.pk)],
        "now": timezone.now(),
    })


def _assessment_task(request, task_id) -> Task:
    _require_physiotherapist(request.user)
    task = get_object_or_404(
        Task.objects.select_related("case__definition", "assignee", "candidate_group"),
        pk=task_id, bpmn_id__in=ASSESSMENT_TASKS, case__definition__process_id=PROCESS_ID,
    )
    return task


@login_required
@require_POST
def assessment_claim(request, task_id):
    task = _assessment_task(request, task_id)
    try:
        case_services.task_claim(actor=request.user, task_id=task.pk)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("parking:assessment_queue")
    return redirect("parking:assess", task_id=task.pk)


def _apply_errors(form, exc: ApplicationError) -> None:
    if isinstance(exc, InvalidTaskData):
        for key, message in exc.extra.get("errors", {}).items():
            form.add_error(key if key in form.fields else None, message)
        return
    form.add_error(None, exc.message)


@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def assess(request, task_id):
    """The documentation, the applicant's description and the rubric side by
    side. Opening the page is a logged read of health information."""
    task = _assessment_task(request, task_id)
    app = application_for_case(task.case)
    if app is None:
        raise Http404
    try:
        health_data_read(reader=request.user, application=app, what=ReadKind.APPLICATION)
    except PermissionDenied:
        raise Http404 from None
    appeals = list(Appeal.objects.filter(application=app).order_by("submitted_at"))
    if appeals:
        health_data_read(reader=request.user, application=app, what=ReadKind.APPEAL)

    schema = task.case.definition.forms.get(task.form_name)
    open_task = task.state == TaskState.READY
    blocked = task.bpmn_id == "reassess" and first_assessor(task.case) == request.user
    can_work = open_task and not blocked and can_work_on_task(request.user, task)
    posted = request.method == "POST" and can_work
    initial = {} if task.bpmn_id == "reassess" else {
        "days_score": str(suggested_days_score(app.days_per_week))
    }
    form = build_form(schema, data=request.POST if posted else None, initial=initial)
    note_form = AssessmentNoteForm(request.POST if posted else None, prefix="note")
    if posted and form.is_valid() and note_form.is_valid():
        try:
            assessment_submit(actor=request.user, task_id=task.pk, data=form.cleaned_json(),
                              note=note_form.cleaned_data["note"])
        except ApplicationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The assessment has been recorded."))
            return redirect("parking:assessment_queue")
    return render(request, "parking/assess.html", {
        "task": task,
        "app": app,
        "documents": list(app.documents.all()),
        "appeals": appeals,
        "form": form if can_work else None,
        "note_form": note_form,
        "blocked": blocked,
        "open_task": open_task,
        "can_claim": open_task and task.assignee_id is None and is_candidate(request.user, task)
        and not blocked,
        "application_schema": load_schema(APPLICATION_SCHEMA),
    })
