"""Small forms of the case screens; task forms come from JSON schemas (forms app)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from cases.selectors import QueueFilters


class QueueFilterForm(forms.Form):
    """GET filters of the task queue; choices come from the view."""

    severity = forms.ChoiceField(label=_("Severity"), required=False)
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    overdue = forms.BooleanField(label=_("Only overdue tasks"), required=False)

    def __init__(self, data=None, *, severities, units, categories, **kwargs):
        super().__init__(data, **kwargs)
        everything = [("", _("All"))]
        self.fields["severity"].choices = everything + list(severities)
        self.fields["unit"].choices = everything + list(units)
        self.fields["category"].choices = everything + list(categories)

    def filters(self) -> QueueFilters:
        """The chosen filters; none if the form is invalid (e.g. a stale unit code)."""
        if not self.is_valid():
            return QueueFilters()
        return QueueFilters(**self.cleaned_data)


class ReassignForm(forms.Form):
    username = forms.CharField(
        label=_("Username of the new assignee"), max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active user with this username."))
        self.user = user
        return username


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The reporter sees this reason on their case page."),
    )


class DisqualifyForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you cannot handle this case"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: you are related to a party, or you have an interest in the outcome. "
            "The reason is kept in the case's audit trail."
        ),
    )
