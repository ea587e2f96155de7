"""Small forms of the AMU pages. The submission itself and the process
steps are JSON-schema forms (workflows/forms/amu_*.json)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from amu.models import (
    CONSENT_DOCUMENTS,
    AppealOutcome,
    DecisionMethod,
    DocumentKind,
    Outcome,
    ReferralReason,
    VoteChoice,
)
from forms.widgets import NativeDateInput


class DocumentsForm(forms.Form):
    """The building arm's four documents, and one more of any kind."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in CONSENT_DOCUMENTS:
            self.fields[kind.value] = forms.FileField(label=kind.label, required=False)
        self.fields[DocumentKind.OTHER.value] = forms.FileField(
            label=_("Other document"), required=False
        )

    def uploads(self) -> dict:
        return {name: [f] for name, f in self.cleaned_data.items() if f}


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("File"))


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary for the members"), required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Members see this instead of the deviation's free text. Write no names "
                    "and no health information."),
    )


class MeetingForm(forms.Form):
    body = forms.ModelChoiceField(label=_("Body"), queryset=None, empty_label=_("Choose…"))
    date = forms.DateField(label=_("Date"), widget=NativeDateInput)
    start_time = forms.TimeField(
        label=_("Starts at"), required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    location = forms.CharField(label=_("Place"), required=False, max_length=200)

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("A meeting cannot be planned in the past."))
        return day


class AddCaseForm(forms.Form):
    amu_case = forms.ChoiceField(label=_("Case waiting for a meeting"))

    def __init__(self, *args, waiting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amu_case"].choices = [
            (c.pk, f"{c.case.reference} {c.case.display_title}") for c in waiting
        ]


class ProposalForm(forms.Form):
    proposal = forms.CharField(
        label=_("Proposed decision"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(
        label=_("Present"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Record who is present before the votes. A deputy votes only when the "
                    "member is absent."),
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(m.pk, self.label_of(m)) for m in members]

    @staticmethod
    def label_of(member) -> str:
        if member.deputy_for_id:
            return _("%(name)s (deputy for %(member)s)") % {
                "name": member.display_name, "member": member.deputy_for.display_name}
        return member.display_name


class VoteForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Your vote"), choices=VoteChoice.choices, widget=forms.RadioSelect
    )


class RecordVoteForm(forms.Form):
    """The secretary records the votes given at the meeting, one per voting member."""

    def __init__(self, *args, members, votes, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        for member in self.members:
            self.fields[f"member_{member.pk}"] = forms.ChoiceField(
                label=member.display_name, required=False,
                choices=[("", _("No vote recorded")), *VoteChoice.choices],
                initial=votes.get(member.pk, ""),
            )

    def choices(self):
        return [
            (member, self.cleaned_data.get(f"member_{member.pk}"))
            for member in self.members if self.cleaned_data.get(f"member_{member.pk}")
        ]


class DecisionForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How did the body decide?"), required=False, widget=forms.RadioSelect,
        choices=DecisionMethod.choices,
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, widget=forms.RadioSelect,
        help_text=_("After a vote, the votes decide the outcome; choose only “Postponed” "
                    "or “Referred” to override."),
    )
    referral_reason = forms.ChoiceField(
        label=_("Reason for referral"), required=False, widget=forms.RadioSelect,
        choices=[("", _("Not referred")), *ReferralReason.choices],
    )
    decision_text = forms.CharField(
        label=pgettext_lazy("the body's decision", "Decision"), required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    majority_view = forms.CharField(
        label=_("Majority view"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    minority_view = forms.CharField(
        label=_("Minority view"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the vote was not unanimous."),
    )

    def __init__(self, *args, outcomes, votable: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = (
            [("", _("Decided by the vote")), *outcomes] if votable else outcomes
        )
        if not votable:
            del self.fields["method"]
            self.fields["outcome"].help_text = ""


ACTION_ROWS = 3


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), required=False, max_length=200)
    owner = forms.CharField(label=_("Owner (username)"), required=False, max_length=150)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=NativeDateInput)

    def clean(self):
        data = super().clean()
        filled = [data.get("title"), data.get("owner"), data.get("deadline")]
        if any(filled) and not all(filled):
            raise forms.ValidationError(_("Give the action, its owner and its deadline."))
        username = data.get("owner")
        if username:
            user = get_user_model().objects.filter(username=username, is_active=True).first()
            if user is None:
                self.add_error("owner", _("No user with this username."))
            data["owner_user"] = user
        return data


ActionFormSet = forms.formset_factory(ActionForm, extra=ACTION_ROWS, max_num=10)


class ReviseForm(forms.Form):
    decision_text = forms.CharField(
        label=pgettext_lazy("the body's decision", "Decision"), required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    majority_view = forms.CharField(
        label=_("Majority view"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    minority_view = forms.CharField(
        label=_("Minority view"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DemandForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is an extra meeting needed?"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args, first_year: int, **kwargs):
        this_year = timezone.localdate().year
        super().__init__(*args, initial={"year": this_year}, **kwargs)
        years = range(max(this_year, first_year) + 1, min(first_year, this_year) - 1, -1)
        self.fields["year"].choices = [(y, str(y)) for y in years]

    def selected(self) -> int:
        if self.is_bound and self.is_valid():
            return self.cleaned_data["year"]
        return self.initial["year"]


def outcome_choices(*, information: bool, can_refer: bool) -> list:
    if information:
        return [(Outcome.NOTED, Outcome.NOTED.label), (Outcome.POSTPONED, Outcome.POSTPONED.label)]
    choices = [(o, o.label) for o in (Outcome.ADOPTED, Outcome.REJECTED, Outcome.POSTPONED)]
    if can_refer:
        choices.append((Outcome.REFERRED, Outcome.REFERRED.label))
    return choices


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you disqualified?"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: you are a party to the case, or close to someone who is."),
    )


class ConfidentialForm(forms.Form):
    confidential = forms.BooleanField(
        label=_("Confidential (personnel or health matter, offentleglova § 13)"), required=False
    )


class AppealForm(forms.Form):
    brought_on = forms.DateField(label=_("Sent to the Labour Inspection Authority on"),
                                 widget=NativeDateInput)
    reference = forms.CharField(label=_("The authority's reference"), required=False,
                                max_length=100)
    grounds = forms.CharField(label=_("The employer's grounds"),
                              widget=forms.Textarea(attrs={"rows": 3}))


class AppealOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("The authority's answer"), widget=forms.RadioSelect,
                                choices=AppealOutcome.choices)
    outcome_on = forms.DateField(label=_("Date of the answer"), widget=NativeDateInput)
    outcome_text = forms.CharField(label=_("What the authority decided"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))
