"""Forms of the channel's own screens. The report itself and the step forms
are schema forms (workflows/forms/whistleblowing_*.json)."""

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _


def _password(autocomplete: str) -> forms.PasswordInput:
    return forms.PasswordInput(attrs={"autocomplete": autocomplete})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


ATTACHMENT_HELP = _(
    "Files can carry hidden details that identify you or your device: author names, "
    "GPS positions and camera models in photos, edit history in documents. Remove them "
    "before you upload (for example with the tool MAT2), or take a screenshot instead."
)


class ReportExtrasForm(forms.Form):
    attachments = MultipleFileField(label=_("Attachments (optional)"), help_text=ATTACHMENT_HELP)
    exclude_member = forms.TypedChoiceField(
        label=_("Leave out one committee member (optional)"),
        help_text=_("If one member has a conflict of interest, that member will not be able to "
                    "read your report. At least two members always receive it."),
        required=False, coerce=int, empty_value=None,
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exclude_member"].choices = [("", _("No, send it to all members"))] + [
            (holder.pk, holder.public_description or holder.user.get_full_name()
             or holder.user.get_username())
            for holder in members
        ]


class ReceiptSavedForm(forms.Form):
    saved = forms.BooleanField(label=_("I have saved the receipt"), required=True)


class ReceiptLoginForm(forms.Form):
    receipt = forms.CharField(
        label=_("Your receipt"), max_length=60, strip=True,
        help_text=_("20 letters and digits, for example ABCDE-12345-FGHJK-67890."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                      "autocapitalize": "characters"}),
    )


class MessageForm(forms.Form):
    text = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 6}),
                           required=False, max_length=20000)
    attachments = MultipleFileField(label=_("Attachments (optional)"), help_text=ATTACHMENT_HELP)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("text", "").strip() and not cleaned.get("attachments"):
            raise forms.ValidationError(_("Write a message or add an attachment."))
        return cleaned


class ReplyForm(MessageForm):
    """The reporter's message; while the employer's check-in waits for an
    answer, the reporter may mark the message as something new instead."""

    new_matter = forms.BooleanField(
        label=_("This is not an answer to the employer: it is something new (for example "
                "retaliation), for the committee only, as a new case"),
        required=False,
    )


class StepTextForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), required=False,
                           max_length=20000)


class MemberLoginForm(forms.Form):
    username = forms.CharField(
        label=_("User name"), max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none",
                                      "spellcheck": "false"}),
    )
    password = forms.CharField(label=_("Password"), strip=False,
                               widget=_password("current-password"))
    otp_token = forms.CharField(
        label=_("Code from your authenticator app"), required=False, max_length=10,
        help_text=_("Six digits. Leave empty the first time, before you have set up the app."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class TotpConfirmForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Code from your authenticator app"), max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class PasswordForm(forms.Form):
    password = forms.CharField(label=_("Password"), strip=False,
                               widget=_password("current-password"))


class RecoveryKeyConfirmForm(forms.Form):
    recovery_key = forms.CharField(label=_("Type your recovery key"), max_length=80,
                                   widget=forms.TextInput(attrs={"autocomplete": "off"}))


class NewPasswordMixin(forms.Form):
    new_password = forms.CharField(label=_("New password"), strip=False,
                                   widget=_password("new-password"))
    new_password2 = forms.CharField(label=_("New password again"), strip=False,
                                    widget=_password("new-password"))

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("new_password"), cleaned.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("The two passwords differ."))
        elif first:
            try:
                validate_password(first, self.user)
            except forms.ValidationError as exc:
                self.add_error("new_password", exc)
        return cleaned


class RecoveryForm(NewPasswordMixin):
    recovery_key = forms.CharField(label=_("Recovery key"), max_length=80,
                                   widget=forms.TextInput(attrs={"autocomplete": "off"}))
    field_order = ["recovery_key", "new_password", "new_password2"]


class PasswordChangeForm(NewPasswordMixin):
    old_password = forms.CharField(label=_("Current password"), strip=False,
                                   widget=_password("current-password"))
    field_order = ["old_password", "new_password", "new_password2"]


class GrantForm(forms.Form):
    holder = forms.TypedChoiceField(label=_("Committee member"), coerce=int)

    def __init__(self, *args, holders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].choices = [
            (h.pk, h.user.get_full_name() or h.user.get_username()) for h in holders
        ]


class ExcludeForm(forms.Form):
    """Remove a conflicted member or decision-maker from one case, for good."""

    holder = forms.TypedChoiceField(label=_("Member or decision-maker"), coerce=int)
    reason = forms.ChoiceField(
        label=_("Reason"),
        help_text=_("Written to the case's audit trail. The reporter is told that a member "
                    "has been excluded, not who. An exclusion cannot be undone."),
    )

    def __init__(self, *args, holders=(), **kwargs):
        from whistleblowing.models import ExclusionReason

        super().__init__(*args, **kwargs)
        self.fields["holder"].choices = [
            (h.pk, h.user.get_full_name() or h.user.get_username()) for h in holders
        ]
        self.fields["reason"].choices = [
            (choice.value, choice.label) for choice in ExclusionReason
            if choice != ExclusionReason.REPORTER_CHOICE
        ]
