"""Turn one JSON Schema property into one Django form field.

Every factory returns a plain Django field, so an HTML form can post it
without JavaScript and Django's own cleaning does the type conversion. What
Django fields have no slot for (warnings, placeholders, per-option
descriptions) travels in ``field.hints`` for the bound field and template.

Schema strings stay English msgids here and are wrapped in ``gettext_lazy``,
so they are translated in the language active when the form is rendered.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from forms.widgets import NativeDateInput

Choices = Mapping[str, list[tuple[str, str]]]
UserExists = Callable[[str], bool]

# Native date inputs always post ISO 8601; the Norwegian form is accepted too
# for browsers that fall back to a plain text box.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


class FormSchemaError(ValueError):
    """The schema asks for something the builder or its caller cannot provide."""


def translatable(msgid: str | None) -> Any:
    """Return a lazy translation of a schema string, or "" for no string.

    ``gettext("")`` returns the catalogue header, so empty strings must never
    reach gettext.
    """
    return gettext_lazy(msgid) if msgid else ""


@dataclass(frozen=True)
class FieldHints:
    """UI hints from the schema that a Django field has no attribute for."""

    warning: str = ""
    placeholder: str = ""
    option_descriptions: Mapping[str, str] = field(default_factory=dict)
    not_after_today: bool = False
    # Set for fields inside a repeated row group: (group title, row number).
    row: tuple[str, int] | None = None
    # Required once the row is used; the HTML attribute cannot say that.
    required_in_row: bool = False


@dataclass(frozen=True)
class FieldContext:
    """What a field factory needs besides the property itself."""

    required: bool
    choices: Choices
    user_exists: UserExists | None


def build_field(
    prop: Mapping[str, Any],
    *,
    required: bool,
    choices: Choices,
    user_exists: UserExists | None,
) -> forms.Field:
    """Build the Django field for a scalar or multiple-choice property."""
    factory = _FACTORIES.get(prop.get("type"))
    if factory is None:
        raise FormSchemaError(f"Unsupported property type {prop.get('type')!r}.")
    built = factory(prop, FieldContext(required, choices, user_exists))
    built.label = translatable(prop.get("title"))
    built.help_text = translatable(prop.get("description"))
    built.hints = FieldHints(
        warning=prop.get("x-warning", ""),
        placeholder=prop.get("x-placeholder", ""),
        option_descriptions=prop.get("x-enum-descriptions", {}),
        not_after_today=bool(prop.get("x-exclusive-maximum-today")),
    )
    return built


def validate_not_in_future(value) -> None:
    if value > timezone.localdate():
        raise ValidationError(gettext("The date cannot be in the future."), code="future_date")


def username_validator(user_exists: UserExists | None) -> Callable[[str], None]:
    """Check usernames against the caller's user directory.

    A username field without a callback is refused outright: accepting any
    text would let a task be assigned to nobody.
    """
    if user_exists is None:
        raise FormSchemaError('A "format": "username" field needs a user_exists callback.')

    def validate(value: str) -> None:
        if not user_exists(value):
            raise ValidationError(gettext("No user with this username."), code="unknown_user")

    return validate


def _string_field(prop, ctx: FieldContext) -> forms.Field:
    if "enum" in prop:
        labels = prop.get("x-enum-labels", {})
        options = [(value, translatable(labels.get(value)) or value) for value in prop["enum"]]
        return _choice_field(prop, ctx, options)
    if "x-choices-from" in prop:
        key = prop["x-choices-from"]
        if key not in ctx.choices:
            raise FormSchemaError(f"The schema needs choices[{key!r}], which were not passed.")
        return _choice_field(prop, ctx, list(ctx.choices[key]))
    if prop.get("format") == "date":
        validators = [validate_not_in_future] if prop.get("x-exclusive-maximum-today") else []
        return forms.DateField(
            required=ctx.required,
            widget=NativeDateInput,
            input_formats=DATE_INPUT_FORMATS,
            validators=validators,
        )
    validators = []
    if prop.get("format") == "username":
        validators.append(username_validator(ctx.user_exists))
    textarea = prop.get("x-widget") == "textarea"
    return forms.CharField(
        required=ctx.required,
        max_length=prop.get("maxLength"),
        min_length=prop.get("minLength"),
        widget=forms.Textarea(attrs={"rows": 5}) if textarea else forms.TextInput,
        validators=validators,
    )


def _choice_field(prop, ctx: FieldContext, options: list) -> forms.ChoiceField:
    """A select, or radio buttons with ``x-widget: radio``.

    A select always starts with an empty option so nothing is chosen by
    accident. Optional radio groups end with "Not specified", since a picked
    radio button cannot be unpicked without JavaScript.
    """
    if prop.get("x-widget") == "radio":
        if not ctx.required:
            options = [*options, ("", gettext_lazy("Not specified"))]
        widget = forms.RadioSelect
    else:
        options = [("", gettext_lazy("Choose…")), *options]
        widget = forms.Select
    return forms.ChoiceField(required=ctx.required, choices=options, widget=widget)


def _boolean_field(prop, ctx: FieldContext) -> forms.Field:
    # "required" on a boolean means the key is always present, which
    # cleaned_json() guarantees; it never forces the box to be ticked.
    return forms.BooleanField(required=False)


def _integer_field(prop, ctx: FieldContext) -> forms.Field:
    return forms.IntegerField(
        required=ctx.required, min_value=prop.get("minimum"), max_value=prop.get("maximum")
    )


def _number_field(prop, ctx: FieldContext) -> forms.Field:
    return forms.FloatField(
        required=ctx.required, min_value=prop.get("minimum"), max_value=prop.get("maximum")
    )


def _multiple_choice_field(prop, ctx: FieldContext) -> forms.Field:
    """Checkboxes for ``type: array`` of string enums.

    Required means ``minItems`` >= 1; an array key is always present in
    cleaned_json(), so being in the object's ``required`` list adds nothing.
    """
    items = prop.get("items", {})
    if items.get("type") != "string" or "enum" not in items:
        raise FormSchemaError("Arrays must hold string enums or objects (repeated rows).")
    labels = prop.get("x-enum-labels", items.get("x-enum-labels", {}))
    options = [(value, translatable(labels.get(value)) or value) for value in items["enum"]]
    return forms.MultipleChoiceField(
        required=prop.get("minItems", 0) >= 1,
        choices=options,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Select at least one option.")},
    )


_FACTORIES: dict[str, Callable[[Any, FieldContext], forms.Field]] = {
    "string": _string_field,
    "boolean": _boolean_field,
    "integer": _integer_field,
    "number": _number_field,
    "array": _multiple_choice_field,
}
