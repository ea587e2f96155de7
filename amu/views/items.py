"""One case at a meeting: the vote and the decision.

Voting members vote on the page while the secretary keeps the vote open;
the secretary may instead record the votes given in the room. The
secretary records the decision, which moves the case on.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amu import selectors
from amu.access import access_meeting, is_secretary, membership
from amu.forms import (
    ActionFormSet,
    AppealForm,
    AppealOutcomeForm,
    ConfidentialForm,
    ConflictForm,
    DecisionForm,
    RecordVoteForm,
    ReviseForm,
    VoteForm,
    outcome_choices,
)
from amu.models import AgendaItem, CaseKind, MeetingStatus, VoteChoice
from amu.presence import presence
from amu.services import decisions
from amu.services.appeals import (
    can_record_appeal,
    employer_appeal_outcome,
    employer_appeal_record,
)
from amu.services.confidentiality import amu_case_confidential_set
from amu.services.conflicts import conflict_declare
from amu.views.support import apply_errors, display_labels, error_message, require_secretary
from cases.exceptions import ApplicationError


def _access_item(request, pk, item_pk) -> AgendaItem:
    meeting = access_meeting(request.user, pk)
    item = get_object_or_404(
        AgendaItem.objects.select_related("number", "amu_case__case", "amu_case__incident_case",
                                          "appeal"),
        pk=item_pk, meeting=meeting,
    )
    item.meeting = meeting
    selectors.withhold_confidential([item], user=request.user, meeting=meeting)
    return item


def _forms(request, item, data=None) -> dict:
    """The forms the viewer gets for this item, bound to ``data`` if posted."""
    meeting = item.meeting
    user = request.user
    forms = {}
    in_session = meeting.status == MeetingStatus.PUBLISHED and not item.decided
    member = membership(user, meeting.body, meeting.date)
    if in_session and item.kind == CaseKind.DECISION and member is not None:
        forms["vote_form"] = VoteForm(prefix="vote")
        choice = item.votes.filter(member=member).values_list("choice", flat=True).first()
        forms["my_vote"] = VoteChoice(choice).label if choice else ""
        forms["member"] = member
        if member.voting and not member.observer and not item.withheld:
            forms["conflict_form"] = ConflictForm(data if data and "conflict-reason" in data
                                                  else None, prefix="conflict")
    if item.decided and meeting.status == MeetingStatus.APPROVED and can_record_appeal(
        user, item
    ):
        appeal = getattr(item, "appeal", None)
        if appeal is None and item.outcome == "adopted":
            forms["appeal_form"] = AppealForm(data, prefix="appeal")
        elif appeal is not None and not appeal.outcome:
            forms["appeal_outcome_form"] = AppealOutcomeForm(data, prefix="appeal-outcome")
    if not is_secretary(user):
        return forms
    forms["confidential_form"] = ConfidentialForm(
        prefix="confidential", initial={"confidential": item.amu_case.confidential})
    if in_session:
        votable = item.kind == CaseKind.DECISION
        outcomes = outcome_choices(information=not votable, can_refer=bool(meeting.body.parent_id))
        forms["decision_form"] = DecisionForm(data, outcomes=outcomes, votable=votable,
                                              prefix="decision")
        forms["action_formset"] = ActionFormSet(data, prefix="actions")
        if votable:
            votes = dict(item.votes.values_list("member_id", "choice"))
            forms["record_form"] = RecordVoteForm(
                members=selectors.voting_members_on(meeting), votes=votes, prefix="record"
            )
    elif item.decided and meeting.status != MeetingStatus.APPROVED:
        forms["revise_form"] = ReviseForm(data, prefix="revise", initial={
            "decision_text": item.decision_text, "majority_view": item.majority_view,
            "minority_view": item.minority_view,
        })
    return forms


def _render(request, item, forms):
    meeting = item.meeting
    attendance = presence(meeting)
    selectors.mark_stepped_aside([item], attendance)
    chair = attendance.chair(aside=set(item.parties))  # who chairs this case
    return render(request, "amu/item_detail.html", {
        "meeting": meeting, "item": item, "is_secretary": is_secretary(request.user),
        "decision_blockers": [] if item.decided else attendance.blockers(
            aside=set(item.parties)),
        "votes": item.votes.select_related("member__user", "for_member__user")
        .order_by("member__side", "id"),
        "actions": item.actions.select_related("owner"),
        "chair": chair,
        "view": selectors.case_view(amu_case=item.amu_case, user=request.user),
        **display_labels(),
        **forms,
    })


@login_required
@require_GET
def item_detail(request, pk, item_pk):
    item = _access_item(request, pk, item_pk)
    return _render(request, item, _forms(request, item))


@login_required
@require_POST
def item_vote(request, pk, item_pk):
    """A member casts their own vote (non-voting members are refused with the reason)."""
    item = _access_item(request, pk, item_pk)
    form = VoteForm(request.POST, prefix="vote")
    if not form.is_valid():
        messages.error(request, _("Choose for, against or abstain."))
    else:
        try:
            decisions.vote_cast(actor=request.user, item=item, choice=form.cleaned_data["choice"])
        except ApplicationError as exc:
            error_message(request, exc)
        else:
            messages.success(request, _("Your vote is recorded."))
    return redirect("amu:item", pk=pk, item_pk=item_pk)


@login_required
@require_POST
def item_voting(request, pk, item_pk):
    require_secretary(request)
    item = _access_item(request, pk, item_pk)
    opening = request.POST.get("open") == "1"
    try:
        decisions.voting_open(actor=request.user, item=item, is_open=opening)
    except ApplicationError as exc:
        error_message(request, exc)
    else:
        messages.success(request, _("Voting is open.") if opening else _("Voting is closed."))
    return redirect("amu:item", pk=pk, item_pk=item_pk)


@login_required
@require_POST
def item_record_votes(request, pk, item_pk):
    """The secretary records the votes given in the room."""
    require_secretary(request)
    item = _access_item(request, pk, item_pk)
    form = RecordVoteForm(request.POST, prefix="record", votes={},
                          members=selectors.voting_members_on(item.meeting))
    if form.is_valid():
        try:
            for member, choice in form.choices():
                decisions.vote_cast(actor=request.user, item=item, choice=choice, member=member)
        except ApplicationError as exc:
            error_message(request, exc)
        else:
            messages.success(request, _("The votes are recorded."))
    return redirect("amu:item", pk=pk, item_pk=item_pk)


@login_required
@require_POST
def item_decide(request, pk, item_pk):
    require_secretary(request)
    item = _access_item(request, pk, item_pk)
    forms = _forms(request, item, data=request.POST)
    form, formset = forms.get("decision_form"), forms.get("action_formset")
    if form is None:
        messages.error(request, _("The case has already been decided at this meeting."))
        return redirect("amu:item", pk=pk, item_pk=item_pk)
    if form.is_valid() and formset.is_valid():
        actions = [
            decisions.ActionInput(row["title"], row["owner_user"], row["deadline"])
            for row in formset.cleaned_data if row.get("title")
        ]
        data = form.cleaned_data
        try:
            item = decisions.agenda_item_decide(
                actor=request.user, item=item, method=data.get("method", ""),
                outcome=data["outcome"], decision_text=data["decision_text"],
                majority_view=data["majority_view"], minority_view=data["minority_view"],
                referral_reason=data["referral_reason"], actions=actions,
            )
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The decision is recorded: %(outcome)s.")
                             % {"outcome": item.get_outcome_display()})
            return redirect("amu:meeting", pk=pk)
    return _render(request, item, forms)


@login_required
@require_POST
def item_revise(request, pk, item_pk):
    require_secretary(request)
    item = _access_item(request, pk, item_pk)
    forms = _forms(request, item, data=request.POST)
    form = forms.get("revise_form")
    if form is None:
        messages.error(request, _("The minutes can no longer be changed."))
        return redirect("amu:item", pk=pk, item_pk=item_pk)
    if form.is_valid():
        try:
            decisions.agenda_item_revise(actor=request.user, item=item, **form.cleaned_data)
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The minutes were corrected."))
            return redirect("amu:minutes", pk=pk)
    return _render(request, item, forms)


@login_required
@require_POST
def item_conflict(request, pk, item_pk):
    """A member declares a conflict of interest and steps aside."""
    item = _access_item(request, pk, item_pk)
    member = membership(request.user, item.meeting.body, item.meeting.date)
    form = ConflictForm(request.POST, prefix="conflict")
    if member is None:
        messages.error(request, _("You are not a member of this body."))
    elif not form.is_valid():
        messages.error(request, _("Say why you are disqualified."))
    else:
        try:
            conflict_declare(actor=request.user, amu_case=item.amu_case, member=member,
                             reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            error_message(request, exc)
        else:
            messages.success(request, _("You step aside: you do not vote on this case, and "
                                        "the minutes say so."))
    return redirect("amu:item", pk=pk, item_pk=item_pk)


@login_required
@require_POST
def item_confidential(request, pk, item_pk):
    require_secretary(request)
    item = _access_item(request, pk, item_pk)
    form = ConfidentialForm(request.POST, prefix="confidential")
    form.is_valid()
    confidential = bool(form.cleaned_data.get("confidential"))
    amu_case_confidential_set(actor=request.user, amu_case=item.amu_case,
                              confidential=confidential)
    messages.success(request, _("The case is confidential.") if confidential
                     else _("The case is no longer confidential."))
    return redirect("amu:item", pk=pk, item_pk=item_pk)


@login_required
@require_POST
def item_appeal(request, pk, item_pk):
    """The employer records that it brought the decision to the Labour
    Inspection Authority, or the authority's answer."""
    item = _access_item(request, pk, item_pk)
    forms = _forms(request, item, data=request.POST)
    form = forms.get("appeal_form") or forms.get("appeal_outcome_form")
    if form is None:
        messages.error(request, _("Only the employer side or the secretary records the "
                                  "employer's appeal."))
        return redirect("amu:item", pk=pk, item_pk=item_pk)
    if form.is_valid():
        try:
            if "appeal_form" in forms:
                employer_appeal_record(actor=request.user, item=item, **form.cleaned_data)
                done = _("The appeal is recorded and the members are informed.")
            else:
                employer_appeal_outcome(actor=request.user, appeal=item.appeal,
                                        **form.cleaned_data)
                done = _("The authority's answer is recorded.")
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("amu:item", pk=pk, item_pk=item_pk)
    return _render(request, item, forms)
