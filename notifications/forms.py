from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import NotificationPreference
from varde.languages import choices


class PreferenceForm(forms.ModelForm):
    """E-mail delivery, and the person's one language (org.Profile): the
    same choice as the switcher in the page header."""

    language = forms.ChoiceField(
        label=_("Language"), choices=choices,
        help_text=_("Used for the pages and for everything Varde sends you."),
    )

    class Meta:
        model = NotificationPreference
        fields = ["delivery"]
        widgets = {"delivery": forms.RadioSelect}
