"""Forms of the near-parking screens beside the schema forms: uploads, the
appeal, the physiotherapist's note."""

from django import forms
from django.utils.translation import gettext_lazy as _

from parking.models import DocumentKind
from parking.uploads import MAX_DOCUMENT_BYTES, DocumentFilesField

FILES_HELP = _(
    "PDF or image (JPEG, PNG, WebP), at most %(limit)d MB a file. You can choose several "
    "files, for example one photo of each side of the card."
)

REPICK_NOTICE = _(
    "Files are not kept when the form is sent back to you: choose your files again before "
    "you send. Everything else you filled in is kept."
)


class DocumentationForm(forms.Form):
    """The documentation part of a page: what kind, and the files."""

    document_kind = forms.ChoiceField(
        label=_("What kind of documentation is it?"),
        choices=DocumentKind.choices,
        widget=forms.RadioSelect,
        initial=DocumentKind.DOCTOR_STATEMENT,
    )
    documents = DocumentFilesField(label=_("Files"), required=False)

    def __init__(self, *args, files_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted here, in the language of the request, not at import.
        self.fields["documents"].help_text = str(FILES_HELP) % {
            "limit": MAX_DOCUMENT_BYTES // (1024 * 1024)
        }
        self.fields["documents"].required = files_required
        if files_required:
            self.fields["documents"].error_messages["required"] = _(
                "Attach a doctor's statement on your function or your municipal "
                "disabled-parking card (PDF or image)."
            )


class ApplicationConsentForm(forms.Form):
    consent = forms.BooleanField(
        label=_(
            "I agree that the occupational physiotherapist reads my documentation and my "
            "description to assess my need."
        ),
        error_messages={"required": _("You must agree to this for the application to be "
                                      "assessed.")},
    )


class AppealForm(forms.Form):
    grounds = forms.CharField(
        label=_("Why do you disagree with the decision?"),
        help_text=_(
            "Say what you think is wrong and add anything the assessment did not know. "
            "Only the occupational physiotherapists read this."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
    )


class AssessmentNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Your note on the assessment (optional)"),
        help_text=_(
            "Kept with the assessment for the applicant and the physiotherapists; the case "
            "officer does not see it. Describe function, not a diagnosis."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        required=False,
    )


class RevocationCommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Your comment on the notice"), max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: you do use the permit, or your situation has changed."),
    )


class AppealCommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Your comment to the appeal body"), max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The appeal body reads it with the first instance's comments before it "
                    "decides. Write only what you want it to consider."),
    )
