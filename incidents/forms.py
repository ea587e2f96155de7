"""Small forms of the incident screens; the report itself is a schema form."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.selectors import tertial_of


class ReportOptionsForm(forms.Form):
    """Shown to signed-in reporters only; a logged-out report is always anonymous."""

    anonymous = forms.BooleanField(
        label=_("Report anonymously"),
        required=False,
        help_text=_(
            "The report is not linked to your account. You will not find it under "
            "“My cases”, and the HSE staff cannot contact you about it."
        ),
    )


class TertialForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    tertial = forms.TypedChoiceField(
        label=_("Tertial"),
        coerce=int,
        choices=[
            (1, _("1st tertial (January–April)")),
            (2, _("2nd tertial (May–August)")),
            (3, _("3rd tertial (September–December)")),
        ],
    )

    def __init__(self, data=None, *, first_year: int, **kwargs):
        now = timezone.localtime()
        super().__init__(data, initial={"year": now.year, "tertial": tertial_of(now)}, **kwargs)
        years = range(now.year, min(first_year, now.year) - 1, -1)
        self.fields["year"].choices = [(year, str(year)) for year in years]

    def period(self) -> tuple[int, int]:
        """The chosen (year, tertial), or the current one if nothing valid was chosen."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["year"], self.cleaned_data["tertial"]
        return self.initial["year"], self.initial["tertial"]
