from django import forms

from notifications.models import NotificationPreference


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["delivery", "language"]
        widgets = {"delivery": forms.RadioSelect}
