"""Bound fields that carry the accessibility wiring the template needs.

Django links help text and errors with its own id suffixes and leaves
fieldset widgets (radio and checkbox groups) without ``aria-describedby``.
Schema forms also link a warning and per-option descriptions, so the ids are
computed here once and the template only prints them.
"""

from dataclasses import dataclass
from typing import Any

from django.forms.boundfield import BoundField, BoundWidget
from django.utils import timezone
from django.utils.translation import gettext

from forms.fields import FieldHints, translatable


@dataclass(frozen=True)
class ChoiceOption:
    """One radio button or checkbox of a group, ready to print."""

    id: str
    label: Any
    tag: str
    description: Any
    description_id: str


class SchemaBoundField(BoundField):
    """A bound field that knows its schema hints and the ids that describe it."""

    @property
    def hints(self) -> FieldHints:
        return getattr(self.field, "hints", FieldHints())

    @property
    def kind(self) -> str:
        """Which markup the template uses: choice_group, checkbox or input."""
        if self.use_fieldset:
            return "choice_group"
        if self.widget_type == "checkbox":
            return "checkbox"
        return "input"

    @property
    def marked_required(self) -> bool:
        return self.field.required or self.hints.required_in_row

    @property
    def warning(self) -> Any:
        return translatable(self.hints.warning)

    @property
    def help_id(self) -> str:
        return f"{self.auto_id}-help"

    @property
    def warning_id(self) -> str:
        return f"{self.auto_id}-warning"

    @property
    def error_id(self) -> str:
        return f"{self.auto_id}-error"

    @property
    def describedby(self) -> str:
        """Ids of the help text, warning and error shown with this field."""
        ids = []
        if self.help_text:
            ids.append(self.help_id)
        if self.hints.warning:
            ids.append(self.warning_id)
        if self.errors:
            ids.append(self.error_id)
        return " ".join(ids)

    @property
    def aria_describedby(self) -> str:
        # Used by Django's build_widget_attrs for single inputs; groups get
        # the same ids on their <fieldset> instead.
        return self.describedby

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if self.hints.placeholder:
            attrs["placeholder"] = gettext(self.hints.placeholder)
        if self.hints.not_after_today:
            attrs["max"] = timezone.localdate().isoformat()
        return attrs

    @property
    def options(self) -> list[ChoiceOption]:
        """The inputs of a radio or checkbox group, each with its description.

        An option's description is linked from its own input, so a screen
        reader reads the severity definition together with the severity.
        """
        descriptions = self.hints.option_descriptions
        options = []
        for subwidget in self.subwidgets:
            option_id = subwidget.id_for_label
            description = translatable(descriptions.get(str(subwidget.data["value"])))
            description_id = f"{option_id}-description"
            data = subwidget.data
            if description:
                data = {**data, "attrs": {**data["attrs"], "aria-describedby": description_id}}
            tag = BoundWidget(subwidget.parent_widget, data, subwidget.renderer).tag()
            options.append(
                ChoiceOption(option_id, subwidget.choice_label, tag, description, description_id)
            )
        return options

    @property
    def summary_anchor(self) -> str:
        """The id the error summary links to: the input itself, or a group's first option."""
        if self.use_fieldset and self.subwidgets:
            return self.subwidgets[0].id_for_label
        return self.id_for_label

    @property
    def summary_label(self) -> str:
        if self.hints.row is None:
            return str(self.label)
        group_title, number = self.hints.row
        return gettext("%(group)s, row %(number)d: %(label)s") % {
            "group": gettext(group_title) if group_title else "",
            "number": number,
            "label": self.label,
        }
