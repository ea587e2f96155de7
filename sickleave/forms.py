"""Forms of the sick-leave screens that are no process step. Free text
(plan, minutes, comments) uses the JSON schemas in workflows/forms, which
carry the warning against medical details; these forms hold none."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms.widgets import NativeDateInput
from org.models import Unit
from sickleave.roles import bht_users

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


def _date_field(label, **kwargs):
    return forms.DateField(label=label, widget=NativeDateInput, input_formats=DATE_FORMATS,
                           **kwargs)


def _grade_field():
    return forms.IntegerField(
        label=_("Sick-leave grade (%)"), min_value=1, max_value=100, initial=100,
        help_text=_("100 = full absence; less = partial absence (graded sick leave)."),
    )


def _not_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))
    return value


def person_label(user) -> str:
    return user.get_full_name() or user.get_username()


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{person_label(obj)} ({obj.get_username()})"


class RegisterAbsenceForm(forms.Form):
    """The leader picks one of the employees of the units they lead."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    employee = PersonChoiceField(label=_("Employee"), queryset=get_user_model().objects.none())
    first_day = _date_field(_("First day of absence"),
                            help_text=_("Every deadline is counted from this day."))
    grade = _grade_field()

    def __init__(self, *args, unit_ids=(), leader=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=unit_ids).order_by("name")
        employees = get_user_model().objects.filter(
            is_active=True, unit_memberships__unit_id__in=unit_ids
        ).distinct().order_by("last_name", "first_name", "username")
        if leader is not None:
            employees = employees.exclude(pk=leader.pk)
        self.fields["employee"].queryset = employees

    def clean_first_day(self):
        return _not_future(self.cleaned_data["first_day"])


class GradeChangeForm(forms.Form):
    grade = _grade_field()
    changed_on = _date_field(_("From"))

    def clean_changed_on(self):
        return _not_future(self.cleaned_data["changed_on"])


class ReturnToWorkForm(forms.Form):
    returned_on = _date_field(_("Back at full work from"))

    def clean_returned_on(self):
        return _not_future(self.cleaned_data["returned_on"])


class NavRequestForm(forms.Form):
    """NAV asked for the follow-up plan by a date (aml. § 4-6 (3))."""

    requested_on = _date_field(_("NAV asked on"))
    due_on = _date_field(_("NAV's deadline for the plan"),
                         help_text=_("The date NAV gave. The plan is due by the end of that "
                                     "working day."))

    def clean_requested_on(self):
        return _not_future(self.cleaned_data["requested_on"])

    def clean(self):
        cleaned = super().clean()
        requested_on, due_on = cleaned.get("requested_on"), cleaned.get("due_on")
        if requested_on and due_on and due_on < requested_on:
            self.add_error("due_on", _("NAV's deadline cannot be before the day NAV asked."))
        return cleaned


class CloseForm(forms.Form):
    REASONS = [
        ("registered_by_mistake", _("Registered by mistake")),
        ("employment_ended", _("The employment has ended")),
        ("other", _("Other reason (see the case history)")),
    ]
    reason = forms.ChoiceField(label=_("Why close the follow-up?"), choices=REASONS,
                               widget=forms.RadioSelect)


class BhtInviteForm(forms.Form):
    adviser = PersonChoiceField(label=_("Occupational health adviser"),
                                queryset=get_user_model().objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adviser"].queryset = bht_users()
