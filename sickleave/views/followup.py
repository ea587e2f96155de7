"""One follow-up: its page, registering an absence, and the leader's and
HR's actions on it (grade, return to work, close, BHT, meeting 3, NAV's
request for the plan, minutes)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.exceptions import ApplicationError
from forms.builder import build_form
from forms.schemas import load_schema
from org.roles import UNIT_LEADER
from sickleave import selectors, services
from sickleave.access import access_followup, can_handle_followup
from sickleave.forms import (
    BhtInviteForm,
    CloseForm,
    GradeChangeForm,
    NavRequestForm,
    RegisterAbsenceForm,
    ReturnToWorkForm,
)
from sickleave.models import BhtInvitation, FollowUpStatus, Meeting, ReadKind
from sickleave.roles import is_leader_for, units_with_role

MINUTES_SCHEMA = "sick_leave_minutes.json"


@login_required
@require_http_methods(["GET", "POST"])
def register(request):
    unit_ids = units_with_role(request.user, UNIT_LEADER)
    if not unit_ids:
        raise PermissionDenied
    form = RegisterAbsenceForm(request.POST or None, unit_ids=unit_ids, leader=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            followup = services.absence_register(
                actor=request.user, employee=form.cleaned_data["employee"],
                unit=form.cleaned_data["unit"], first_day=form.cleaned_data["first_day"],
                grade=form.cleaned_data["grade"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The absence is registered; the deadlines run."))
            return redirect("sickleave:detail", reference=followup.case.reference)
    return render(request, "sickleave/register.html", {"form": form})


@login_required
@require_http_methods(["GET"])
def detail(request, reference):
    followup = access_followup(request.user, reference)
    user = request.user
    summary = selectors.summarise(
        selectors.followups_with_details(type(followup).objects.filter(pk=followup.pk))
    )[0]
    handler = can_handle_followup(user, followup)
    is_employee = user.pk == followup.employee_id
    active = followup.status == FollowUpStatus.OPEN
    context = {
        "followup": followup,
        "case": followup.case,
        "summary": summary,
        "periods": followup.periods.order_by("starts_on", "pk"),
        "versions": selectors.plan_versions(followup),
        "meetings": followup.meetings.order_by("number"),
        "dispatches": followup.dispatches.select_related("version").order_by("sent_on", "pk"),
        "invitations": followup.bht_invitations.select_related("user").filter(
            revoked_at__isnull=True),
        "is_employee": is_employee,
        "handler": handler,
        "can_write_plan": active and not is_employee and is_leader_for(user, followup.unit_id),
        "exemption_by": selectors.step_completed_by(followup, "make_plan")
        if followup.plan_exemption_reason else None,
        "read_log": selectors.read_log(followup)[:500] if is_employee or handler else None,
    }
    if handler:
        context.update(
            tasks=selectors.open_tasks(followup),
            escalations=followup.escalations.order_by("due_at"),
            grade_form=GradeChangeForm(prefix="grade") if active else None,
            return_form=ReturnToWorkForm(prefix="return") if active else None,
            close_form=CloseForm(prefix="close") if followup.status != FollowUpStatus.CLOSED
            else None,
            can_request_dm3=active,
        )
    if (handler or is_employee) and followup.status != FollowUpStatus.CLOSED:
        context["bht_form"] = BhtInviteForm(prefix="bht")
    return render(request, "sickleave/followup.html", context)


def _act(request, reference, action, success: str):
    """Run one service for a POST action, report the outcome, go back."""
    followup = access_followup(request.user, reference, what="")
    try:
        action(followup)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("sickleave:detail", reference=reference)


def _invalid(request, reference, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("sickleave:detail", reference=reference)


@login_required
@require_POST
def grade_change(request, reference):
    form = GradeChangeForm(request.POST, prefix="grade")
    if not form.is_valid():
        return _invalid(request, reference, form)
    return _act(request, reference, lambda fu: services.absence_grade_change(
        actor=request.user, followup=fu, grade=form.cleaned_data["grade"],
        changed_on=form.cleaned_data["changed_on"],
    ), _("The new grade is registered."))


@login_required
@require_POST
def return_to_work(request, reference):
    form = ReturnToWorkForm(request.POST, prefix="return")
    if not form.is_valid():
        return _invalid(request, reference, form)
    return _act(request, reference, lambda fu: services.absence_return_to_work(
        actor=request.user, followup=fu, returned_on=form.cleaned_data["returned_on"],
    ), _("The return to work is registered; pending deadlines are cancelled."))


@login_required
@require_POST
def close(request, reference):
    form = CloseForm(request.POST, prefix="close")
    if not form.is_valid():
        return _invalid(request, reference, form)
    reason = dict(CloseForm.REASONS)[form.cleaned_data["reason"]]
    return _act(request, reference, lambda fu: services.followup_close(
        actor=request.user, followup=fu, reason=str(reason),
    ), _("The follow-up is closed."))


@login_required
@require_POST
def dm3_request(request, reference):
    return _act(request, reference, lambda fu: services.dm3_request(
        actor=request.user, followup=fu,
    ), _("Dialogue meeting 3 is registered as requested."))


@login_required
@require_http_methods(["GET", "POST"])
def nav_request(request, reference):
    """The leader or HR records that NAV asked for the plan by a date."""
    followup = access_followup(request.user, reference, what="", handle=True)
    form = NavRequestForm(request.POST or None,
                          initial={"requested_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.nav_plan_request_record(
                actor=request.user, followup=followup,
                requested_on=form.cleaned_data["requested_on"],
                due_on=form.cleaned_data["due_on"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("NAV's request is recorded; sending the plan is now a "
                                        "step with NAV's deadline."))
            return redirect("sickleave:detail", reference=reference)
    return render(request, "sickleave/nav_request.html", {
        "followup": followup, "case": followup.case, "form": form,
    })


@login_required
@require_POST
def bht_invite(request, reference):
    form = BhtInviteForm(request.POST, prefix="bht")
    if not form.is_valid():
        return _invalid(request, reference, form)
    return _act(request, reference, lambda fu: services.bht_invite(
        actor=request.user, followup=fu, adviser=form.cleaned_data["adviser"],
    ), _("The occupational health adviser can now see the case."))


@login_required
@require_POST
def bht_revoke(request, reference, pk):
    def revoke(followup):
        invitation = get_object_or_404(BhtInvitation, pk=pk, followup=followup)
        services.bht_revoke(actor=request.user, invitation=invitation)

    return _act(request, reference, revoke, _("The invitation is withdrawn."))


@login_required
@require_http_methods(["GET", "POST"])
def minutes(request, reference, number):
    followup = access_followup(
        request.user, reference, what=ReadKind.MINUTES, detail=f"DM{number}"
    )
    meeting = get_object_or_404(Meeting, followup=followup, number=number)
    editable = can_handle_followup(request.user, followup)
    form = None
    if editable:
        schema = load_schema(MINUTES_SCHEMA)
        if request.method == "POST":
            form = build_form(schema, data=request.POST)
            if form.is_valid():
                try:
                    services.meeting_minutes_save(
                        actor=request.user, meeting=meeting,
                        minutes=form.cleaned_json()["minutes"],
                    )
                except ApplicationError as exc:
                    form.add_error(None, exc.message)
                else:
                    messages.success(request, _("The minutes are saved."))
                    return redirect("sickleave:detail", reference=reference)
        else:
            form = build_form(schema, initial={"minutes": meeting.minutes})
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "sickleave/minutes.html", {
        "followup": followup, "case": followup.case, "meeting": meeting, "form": form,
    })
