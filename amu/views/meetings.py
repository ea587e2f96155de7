"""Meeting calendar, agenda (saksliste) and minutes (protokoll), as pages
and PDFs. Only the secretary edits agendas and minutes; the chair approves
the minutes; members read their own bodies' published agendas."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amu import selectors
from amu.access import access_meeting, can_view_statistics, is_secretary
from amu.composition import composition_problems
from amu.forms import AddCaseForm, AttendanceForm, MeetingForm, ProposalForm, YearForm
from amu.minutes_check import minutes_problems
from amu.models import AgendaItem, AmuCase, Body, MeetingStatus
from amu.presence import presence
from amu.services import meetings as services
from amu.views.support import apply_errors, error_message, require_secretary
from cases.exceptions import ApplicationError
from documents.pdf import pdf_response


@login_required
@require_GET
def calendar(request):
    """Meetings per body and year. Members see their own bodies' meetings."""
    bodies = selectors.visible_bodies(request.user)
    form = YearForm(request.GET or None, first_year=selectors.first_year())
    year = form.selected()
    return render(request, "amu/calendar.html", {
        "form": form, "year": year, "is_secretary": is_secretary(request.user),
        "calendars": [(body, selectors.meetings_of(body=body, year=year)) for body in bodies],
    })


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    require_secretary(request)
    form = MeetingForm(request.POST or None, bodies=Body.objects.all(),
                       initial={"body": request.GET.get("body")})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                actor=request.user, body=form.cleaned_data["body"], day=form.cleaned_data["date"],
                start_time=form.cleaned_data["start_time"],
                location=form.cleaned_data["location"],
            )
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The meeting was added to the calendar."))
            return redirect("amu:meeting", pk=meeting.pk)
    return render(request, "amu/meeting_form.html", {"form": form})


def _attendance_context(request, meeting, *, public: bool = False) -> dict:
    """The agenda's items as this viewer may read them, who is present, and
    who chairs."""
    attendance = presence(meeting)
    items = selectors.withhold_confidential(
        list(selectors.agenda(meeting)), user=request.user, meeting=meeting, public=public
    )
    selectors.mark_stepped_aside(items, attendance)
    return {
        "meeting": meeting, "items": items, "attendance": attendance,
        "attendance_rows": selectors.attendance_rows(attendance),
        "members": attendance.members, "chair": attendance.chair(),
        "attendees": attendance.present_ids, "public": public,
    }


def _meeting_context(request, meeting) -> dict:
    secretary = is_secretary(request.user)
    context = _attendance_context(request, meeting)
    items, chair = context["items"], context["chair"]
    context.update({
        "is_secretary": secretary,
        "is_chair": chair is not None and chair.user_id == request.user.pk,
    })
    if secretary:
        context["composition_problems"] = composition_problems(meeting.body, meeting.date)
        if meeting.status == MeetingStatus.PUBLISHED and any(not i.decided for i in items):
            context["decision_blockers"] = context["attendance"].blockers()
    if secretary and meeting.status in services.EDITABLE_AGENDA:
        waiting = list(selectors.cases_waiting(body=meeting.body))
        context["add_form"] = AddCaseForm(waiting=waiting, prefix="add") if waiting else None
        for item in items:
            item.proposal_form = ProposalForm(initial={"proposal": item.proposal},
                                              prefix=f"proposal-{item.pk}")
    if secretary and meeting.status != MeetingStatus.APPROVED:
        context["attendance_form"] = AttendanceForm(
            members=context["members"], prefix="attendance",
            initial={"present": [str(pk) for pk in context["attendees"]]},
        )
    return context


@login_required
@require_GET
def meeting_detail(request, pk):
    meeting = access_meeting(request.user, pk)
    return render(request, "amu/meeting_detail.html", _meeting_context(request, meeting))


def _secretary_meeting(request, pk):
    require_secretary(request)
    return access_meeting(request.user, pk)


def _run(request, action, success: str, **kwargs):
    try:
        action(actor=request.user, **kwargs)
    except ApplicationError as exc:
        error_message(request, exc)
        return False
    messages.success(request, success)
    return True


@login_required
@require_POST
def agenda_add(request, pk):
    meeting = _secretary_meeting(request, pk)
    form = AddCaseForm(request.POST, prefix="add",
                       waiting=selectors.cases_waiting(body=meeting.body))
    if form.is_valid():
        amu_case = get_object_or_404(AmuCase, pk=form.cleaned_data["amu_case"])
        _run(request, services.agenda_item_add, _("The case was put on the agenda."),
             meeting=meeting, amu_case=amu_case)
    else:
        messages.error(request, _("Choose a case waiting for a meeting."))
    return redirect("amu:meeting", pk=meeting.pk)


def _item(meeting, item_pk) -> AgendaItem:
    return get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting)


@login_required
@require_POST
def agenda_remove(request, pk, item_pk):
    meeting = _secretary_meeting(request, pk)
    _run(request, services.agenda_item_remove,
         _("The case was taken off the agenda and waits for a meeting again."),
         item=_item(meeting, item_pk))
    return redirect("amu:meeting", pk=meeting.pk)


@login_required
@require_POST
def agenda_move(request, pk, item_pk):
    meeting = _secretary_meeting(request, pk)
    _run(request, services.agenda_item_move, _("The agenda order was changed."),
         item=_item(meeting, item_pk), up=request.POST.get("direction") == "up")
    return redirect("amu:meeting", pk=meeting.pk)


@login_required
@require_POST
def agenda_proposal(request, pk, item_pk):
    meeting = _secretary_meeting(request, pk)
    item = _item(meeting, item_pk)
    form = ProposalForm(request.POST, prefix=f"proposal-{item.pk}")
    if form.is_valid():
        _run(request, services.agenda_item_update, _("The proposed decision was saved."),
             item=item, proposal=form.cleaned_data["proposal"])
    return redirect("amu:meeting", pk=meeting.pk)


@login_required
@require_POST
def agenda_publish(request, pk):
    meeting = _secretary_meeting(request, pk)
    _run(request, services.agenda_publish,
         _("The agenda is published and the members have been notified."), meeting=meeting)
    return redirect("amu:meeting", pk=meeting.pk)


@login_required
@require_POST
def attendance(request, pk):
    meeting = _secretary_meeting(request, pk)
    form = AttendanceForm(request.POST, prefix="attendance",
                          members=selectors.members_on(meeting))
    if form.is_valid():
        _run(request, services.meeting_attendance_update, _("Attendance was saved."),
             meeting=meeting, member_ids=[int(pk) for pk in form.cleaned_data["present"]])
    return redirect("amu:meeting", pk=meeting.pk)


@login_required
@require_POST
def meeting_close(request, pk):
    meeting = _secretary_meeting(request, pk)
    _run(request, services.meeting_close,
         _("The meeting is closed; the minutes await the chair's approval."), meeting=meeting)
    return redirect("amu:minutes", pk=meeting.pk)


@login_required
@require_POST
def minutes_approve(request, pk):
    meeting = access_meeting(request.user, pk)
    _run(request, services.minutes_approve, _("You have approved the minutes."),
         meeting=meeting)
    return redirect("amu:minutes", pk=meeting.pk)


def _agenda_document(request, meeting, *, public: bool = False) -> dict:
    return _attendance_context(request, meeting, public=public)


@login_required
@require_GET
def agenda_pdf(request, pk):
    meeting = access_meeting(request.user, pk)
    return pdf_response("amu/agenda_print.html", _agenda_document(request, meeting),
                        request=request, filename=f"saksliste-{meeting.body.code}-{meeting.date}")


def _minutes_meeting(request, pk):
    """Minutes exist once the meeting is held; before that, 404."""
    meeting = access_meeting(request.user, pk)
    if meeting.status not in (MeetingStatus.HELD, MeetingStatus.APPROVED):
        raise Http404
    return meeting


@login_required
@require_GET
def minutes(request, pk):
    meeting = _minutes_meeting(request, pk)
    context = _agenda_document(request, meeting)
    context.update(is_secretary=is_secretary(request.user),
                   is_chair=context["chair"] is not None
                   and context["chair"].user_id == request.user.pk)
    if meeting.status == MeetingStatus.HELD and (context["is_chair"] or context["is_secretary"]):
        context["minutes_problems"] = minutes_problems(meeting)
    return render(request, "amu/minutes.html", context)


@login_required
@require_GET
def minutes_pdf(request, pk):
    """The minutes as PDF; ``?offentlig=1`` gives the public version, in
    which confidential cases show their title only."""
    meeting = _minutes_meeting(request, pk)
    public = request.GET.get("offentlig") == "1"
    name = "offentlig-protokoll" if public else "protokoll"
    return pdf_response("amu/minutes_print.html",
                        _agenda_document(request, meeting, public=public),
                        request=request, filename=f"{name}-{meeting.body.code}-{meeting.date}")


@login_required
@require_GET
def statistics(request):
    """Annual figures per body, as the annual report gives them."""
    if not can_view_statistics(request.user):
        raise PermissionDenied
    form = YearForm(request.GET or None, first_year=selectors.first_year())
    year = form.selected()
    return render(request, "amu/statistics.html", {
        "form": form, "year": year, "rows": selectors.annual_figures(year=year),
    })
