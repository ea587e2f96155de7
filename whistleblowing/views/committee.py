"""The committee's screens under /komite/: dashboard, case, steps, messages,
grants, members and the audit trail. Every read of content goes through a
service that decrypts with the member's unlocked key and audits it."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from cases.exceptions import ApplicationError, InvalidTaskData
from forms.builder import build_form
from whistleblowing import conf
from whistleblowing.exceptions import MemberExcluded, NoAccess
from whistleblowing.forms import ExcludeForm, GrantForm, MessageForm, StepTextForm
from whistleblowing.models import AuditEvent, CaseGrant, HolderRole, KeyHolder, Report
from whistleblowing.selectors import committee_dashboard, decision_dashboard, pending_reports
from whistleblowing.services import batch, committee, exclusions, grants
from whistleblowing.services.audit import audit_verify
from whistleblowing.services.members import active_holders
from whistleblowing.uploads import use_memory_uploads
from whistleblowing.views.guards import member_view
from whistleblowing.views.reporter import download_response

COMMITTEE = (HolderRole.COMMITTEE,)
EMPLOYER_STEPS = ("record_decision", "employer_checkin")


@member_view()
def dashboard(request):
    if request.wb.role == HolderRole.DECISION_MAKER:
        return render(request, "whistleblowing/decision/dashboard.html", {
            "rows": decision_dashboard(holder=request.wb.holder),
        })
    if pending_reports():
        # A member's visit starts waiting cases: the member's time, not a reporter's.
        batch.reports_start_pending()
        batch.batch_ensure_scheduled()
    return render(request, "whistleblowing/committee/dashboard.html", {
        "rows": committee_dashboard(holder=request.wb.holder),
        "breakglass": conf.breakglass_public_key() is not None,
    })


def _report(request, report_uuid) -> Report:
    report = Report.objects.select_related("case").filter(uuid=report_uuid).first()
    if report is None or not CaseGrant.objects.filter(report=report,
                                                      holder=request.wb.holder).exists():
        raise Http404
    return report


def _grantable(report):
    """Committee members who may be given the case: not holding it, and
    never one excluded from it (by the reporter or the committee)."""
    return (active_holders(HolderRole.COMMITTEE).exclude(grants__report=report)
            .exclude(exclusions__report=report))


def _excludable(report):
    """Members holding the case and decision-makers not yet excluded."""
    excluded = exclusions.excluded_ids(report)
    holders = list(KeyHolder.objects.filter(grants__report=report).select_related("user"))
    makers = [h for h in active_holders(HolderRole.DECISION_MAKER) if h.pk not in excluded]
    return holders + makers


def _case_page(request, report, *, message_form=None, identity=None, error=None, status=200,
               exclude_form=None):
    view = committee.case_open(holder=request.wb.holder, private_key=request.wb.private_key,
                               report=report)
    others = _grantable(report)
    return render(request, "whistleblowing/committee/case.html", {
        "view": view, "report": report,
        "tasks": report.case.tasks.filter(state="ready") if report.case_id else [],
        "message_form": message_form or MessageForm(), "identity": identity,
        "grant_form": GrantForm(holders=others) if others.exists() else None,
        "exclude_form": exclude_form or ExcludeForm(holders=_excludable(report)),
        "holders": KeyHolder.objects.filter(grants__report=report).select_related("user"),
        "exclusions": report.exclusions.select_related("holder__user").order_by("on", "pk"),
        "exclusion_requests": exclusions.pending_requests(report, viewer=request.wb.holder),
        "identity_request": committee.identity_request_state(report),
        "linked": report.linked.all(),
        "error": error,
    }, status=status)


@member_view(roles=COMMITTEE)
def case(request, report_uuid):
    return _case_page(request, _report(request, report_uuid))


IDENTITY_ACTIONS = ("request", "approve", "reveal")


@member_view(roles=COMMITTEE)
@require_POST
def identity(request, report_uuid):
    """Two members: one asks, another approves; then either may reveal."""
    report = _report(request, report_uuid)
    action = request.POST.get("action", "")
    if action not in IDENTITY_ACTIONS:
        return redirect("wb_committee:case", report_uuid=report.uuid)
    holder = request.wb.holder
    try:
        if action == "request":
            committee.identity_request(holder=holder, report=report)
        elif action == "approve":
            committee.identity_approve(holder=holder, report=report)
        else:
            revealed = committee.identity_reveal(holder=holder,
                                                 private_key=request.wb.private_key,
                                                 report=report)
            return _case_page(request, report, identity=revealed)
    except ApplicationError as exc:
        return _case_page(request, report, error=exc.message, status=400)
    return redirect("wb_committee:case", report_uuid=report.uuid)


@member_view(roles=COMMITTEE)
@require_POST
def exclude(request, report_uuid):
    """Remove a conflicted member or decision-maker from the case for good.

    Excluding another member is proposed by one member and takes effect when
    a second member posts the same exclusion (see ``services.exclusions``)."""
    report = _report(request, report_uuid)
    form = ExcludeForm(request.POST, holders=_excludable(report))
    if not form.is_valid():
        return _case_page(request, report, exclude_form=form, status=400)
    holder = get_object_or_404(KeyHolder, pk=form.cleaned_data["holder"])
    actor, reason = request.wb.holder, form.cleaned_data["reason"]
    proposal = exclusions.pending_request(report, holder)
    try:
        if (exclusions.needs_second_member(actor=actor, holder=holder)
                and (proposal is None or proposal.requested_by_id == actor.pk)):
            exclusions.exclusion_request(actor=actor, report=report, holder=holder,
                                         reason=reason)
        else:
            exclusions.member_exclude(actor=actor, report=report, holder=holder,
                                      reason=reason)
    except ApplicationError as exc:
        return _case_page(request, report, exclude_form=form, error=exc.message, status=400)
    if holder.pk == request.wb.holder.pk:
        return redirect("wb_committee:dashboard")
    return redirect("wb_committee:case", report_uuid=report.uuid)


@member_view(roles=COMMITTEE)
def attachment(request, report_uuid, entry_uuid):
    report = _report(request, report_uuid)
    try:
        meta, chunks = committee.attachment_export(
            holder=request.wb.holder, private_key=request.wb.private_key, report=report,
            entry_uuid=entry_uuid,
        )
    except NoAccess:
        raise Http404 from None
    return download_response(meta, chunks)


@csrf_exempt
@require_POST
def message(request, report_uuid):
    use_memory_uploads(request)
    return _message(request, report_uuid)


@csrf_protect
@member_view(roles=COMMITTEE)
def _message(request, report_uuid):
    report = _report(request, report_uuid)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            committee.committee_message_send(
                holder=request.wb.holder, report=report, text=form.cleaned_data["text"],
                uploads=form.cleaned_data["attachments"],
            )
        except ApplicationError as exc:
            return _case_page(request, report, message_form=form, error=exc.message, status=400)
        return redirect("wb_committee:case", report_uuid=report.uuid)
    return _case_page(request, report, message_form=form, status=400)


def _step_page(request, report, task, view, *, template):
    schema = task.case.definition.forms.get(task.form_name, {})
    posted = request.method == "POST"
    form = build_form(schema, data=request.POST if posted else None, prefix="step")
    text_form = StepTextForm(request.POST if posted else None, prefix="text")
    if posted and form.is_valid() and text_form.is_valid():
        try:
            committee.step_complete(
                holder=request.wb.holder, report=report, task_id=task.pk,
                data=form.cleaned_json(), text=text_form.cleaned_data["text"],
            )
        except InvalidTaskData as exc:
            for key, problem in exc.extra.get("errors", {}).items():
                form.add_error(key if key in form.fields else None, problem)
        except ApplicationError as exc:
            text_form.add_error(None, exc.message)
        else:
            if request.wb.role == HolderRole.DECISION_MAKER:
                return redirect("wb_committee:dashboard")
            return redirect("wb_committee:case", report_uuid=report.uuid)
    return render(request, template, {
        "report": report, "task": task, "view": view, "form": form, "text_form": text_form,
        "text_purpose": committee.STEP_TEXT.get(task.bpmn_id),
    }, status=400 if posted else 200)


@member_view(roles=COMMITTEE)
@require_http_methods(["GET", "POST"])
def step(request, report_uuid, task_id):
    report = _report(request, report_uuid)
    try:
        task = committee.open_task(report, task_id)
    except NoAccess:
        raise Http404 from None
    view = committee.case_open(holder=request.wb.holder, private_key=request.wb.private_key,
                               report=report)
    return _step_page(request, report, task, view,
                      template="whistleblowing/committee/step.html")


@member_view(roles=COMMITTEE)
@require_POST
def grant(request, report_uuid):
    report = _report(request, report_uuid)
    form = GrantForm(request.POST, holders=_grantable(report))
    if not form.is_valid():  # an excluded member is not among the choices
        return _case_page(request, report, error=MemberExcluded.default_message, status=400)
    grantee = get_object_or_404(KeyHolder, pk=form.cleaned_data["holder"])
    try:
        grants.grant_access(granter=request.wb.holder, private_key=request.wb.private_key,
                            report=report, grantee=grantee)
    except ApplicationError as exc:
        return _case_page(request, report, error=exc.message, status=400)
    return redirect("wb_committee:case", report_uuid=report.uuid)


@member_view(roles=COMMITTEE)
@require_http_methods(["GET", "POST"])
def members(request):
    """The committee's members; an unlocked member grants a new one every
    case the granter holds."""
    holders = list(active_holders(HolderRole.COMMITTEE))
    form = GrantForm(request.POST or None,
                     holders=[h for h in holders if h.pk != request.wb.holder.pk])
    granted = None
    if request.method == "POST" and form.is_valid():
        grantee = get_object_or_404(KeyHolder, pk=form.cleaned_data["holder"])
        granted = grants.grant_all(granter=request.wb.holder,
                                   private_key=request.wb.private_key, grantee=grantee)
    counts = {h.pk: h.grants.count() for h in holders}
    return render(request, "whistleblowing/committee/members.html", {
        "holders": [(h, counts[h.pk]) for h in holders], "form": form, "granted": granted,
        "decision_makers": active_holders(HolderRole.DECISION_MAKER),
    })


@member_view(roles=COMMITTEE)
def audit(request):
    """The trail of the channel and of the cases the member holds: a member
    excluded from a case does not see its trail (not even that they were
    excluded, or why)."""
    held = [str(u) for u in Report.objects.filter(grants__holder=request.wb.holder)
            .values_list("uuid", flat=True)]
    events = (AuditEvent.objects.filter(chain__in=["", *held]).select_related("actor__user")
              .order_by("-id"))
    return render(request, "whistleblowing/committee/audit.html", {
        "page": Paginator(events, 100).get_page(request.GET.get("page")),
        "chain_ok": audit_verify(),
    })


@member_view(roles=(HolderRole.DECISION_MAKER,))
@require_http_methods(["GET", "POST"])
def decision_case(request, report_uuid):
    report = Report.objects.select_related("case").filter(uuid=report_uuid).first()
    if report is None:
        raise Http404
    try:
        view = committee.decision_view(holder=request.wb.holder,
                                       private_key=request.wb.private_key, report=report)
    except NoAccess:
        raise Http404 from None
    task = report.case.tasks.filter(state="ready", bpmn_id__in=EMPLOYER_STEPS).first()
    if task is None:
        return render(request, "whistleblowing/decision/case.html",
                      {"report": report, "view": view})
    return _step_page(request, report, task, view,
                      template="whistleblowing/decision/step.html")
