"""Build a Django form from a user task's JSON form schema.

``build_form`` is the entry point views use. The form class is built per
call because choices (``x-choices-from``) and the username check come from
the caller and may differ between requests.

cleaned_json() conventions (what the workflow receives):

* every scalar left empty (string, date, enum, number) is **omitted**, never
  "" or null, so optional enums still validate against their ``enum``;
* booleans are always present, as ``true``/``false``;
* arrays are always present, possibly ``[]``: checkbox groups as a list of
  values in schema order, repeated rows as a list of dicts (blank rows
  dropped, empty cells omitted by the same rules);
* dates are ISO 8601 strings (``"2025-03-14"``), integers ``int``, numbers
  ``float``.
"""

import copy
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any, ClassVar

from django import forms
from django.forms.forms import NON_FIELD_ERRORS

from forms.boundfield import SchemaBoundField
from forms.fields import Choices, FieldHints, FormSchemaError, UserExists, build_field
from forms.rows import DEFAULT_ROWS, RowGroup, RowGroupSpec, is_blank, is_row_array
from forms.validation import schema_violations, validation_schema, violation_message

# Template lookups try form[name] before attributes, so a property with one
# of these names would hide what schema_form.html reads from the form.
RESERVED_NAMES = frozenset({"errors", "layout", "error_summary", "error_summary_id"})


class SchemaForm(forms.Form):
    """Base class of every built form; see the module docstring for the JSON."""

    schema: ClassVar[dict[str, Any]] = {}
    validation_schema: ClassVar[dict[str, Any]] = {}
    row_groups: ClassVar[dict[str, RowGroupSpec]] = {}

    template_name = "forms/schema_form.html"
    bound_field_class = SchemaBoundField

    def __init__(self, data=None, *, initial: Mapping[str, Any] | None = None, **kwargs):
        super().__init__(data, initial=self._flatten_initial(initial or {}), **kwargs)
        self._json: dict[str, Any] = {}
        # Posted row index of each kept row, per group: errors on row k of
        # the JSON belong to the fields of the k-th *non-blank* posted row.
        self._kept_rows: dict[str, list[int]] = {}

    @classmethod
    def _flatten_initial(cls, initial: Mapping[str, Any]) -> dict[str, Any]:
        """Spread JSON-shaped initial data (rows as lists of dicts) over the fields."""
        flat = {}
        for name, value in initial.items():
            spec = cls.row_groups.get(name)
            if spec is None:
                flat[name] = value
                continue
            for index, row in enumerate(value[: spec.rows]):
                for column, cell in row.items():
                    flat[spec.field_name(index, column)] = cell
        return flat

    def clean(self):
        cleaned_data = super().clean()
        self._json = self._collect_json()
        for violation in schema_violations(self.validation_schema, self._json):
            self._report(violation)
        return cleaned_data

    def cleaned_json(self) -> dict[str, Any]:
        """The submitted values as workflow data; only for a valid form."""
        if not self.is_valid():
            raise ValueError("cleaned_json() needs a valid form.")
        return copy.deepcopy(self._json)

    # Turning cleaned_data into JSON.

    def _collect_json(self) -> dict[str, Any]:
        result = {}
        for name in self.schema.get("properties", {}):
            if name in self.row_groups:
                result[name] = self._collect_rows(self.row_groups[name])
            elif name in self.cleaned_data and not _is_empty(self.cleaned_data[name]):
                result[name] = _to_json(self.cleaned_data[name])
        return result

    def _collect_rows(self, spec: RowGroupSpec) -> list[dict[str, Any]]:
        rows, kept = [], []
        for index in range(spec.rows):
            names = {column: spec.field_name(index, column) for column in spec.columns}
            if all(is_blank(self[name].data) for name in names.values()):
                continue
            kept.append(index)
            rows.append(
                {
                    column: _to_json(self.cleaned_data[name])
                    for column, name in names.items()
                    if name in self.cleaned_data and not _is_empty(self.cleaned_data[name])
                }
            )
        self._kept_rows[spec.name] = kept
        return rows

    # Mapping schema violations back onto fields.

    def _report(self, violation) -> None:
        target = self._target(violation.path)
        message = violation_message(violation, rows=target in self.row_groups)
        if target is None:
            self.add_error(None, message)
        elif target in self.row_groups:
            # A row group is no Django field, so add_error() would refuse it.
            # One message per group is enough; the rest repeat it.
            if target not in self._errors:
                self._errors[target] = self.error_class([message], renderer=self.renderer)
        elif not self.has_error(target):
            self.add_error(target, message)

    def add_path_error(self, path: tuple, message) -> None:
        """Show a message from outside the schema (a service's check of the
        submitted JSON) next to the field its JSON path leads to, e.g.
        ``("measures", 0, "deadline")``: row k of the JSON is the k-th
        non-blank posted row."""
        target = self._target(path)
        if target is None:
            self.add_error(None, message)
        elif target in self.row_groups:
            self._errors.setdefault(target, self.error_class(renderer=self.renderer))
            self._errors[target].append(message)
        else:
            self.add_error(target, message)

    def _target(self, path: tuple) -> str | None:
        """The field (or row group) a JSON path points into; None for the whole form."""
        if not path:
            return None
        head = path[0]
        spec = self.row_groups.get(head)
        if spec is not None:
            if len(path) >= 3 and isinstance(path[1], int):
                kept = self._kept_rows.get(head, [])
                if path[1] >= len(kept):
                    return head
                posted_index = kept[path[1]]
                name = spec.field_name(posted_index, path[2])
                return name if name in self.fields else head
            return head
        return head if head in self.fields else None

    # What the template reads.

    @property
    def layout(self) -> list:
        """Fields and row groups in schema order."""
        return [
            RowGroup(self, self.row_groups[name]) if name in self.row_groups else self[name]
            for name in self.schema.get("properties", {})
        ]

    @property
    def error_summary_id(self) -> str:
        return self.auto_id % self.add_prefix("error-summary") if self.auto_id else ""

    @property
    def error_summary(self) -> list[dict[str, Any]]:
        """Every error with the id it links to, in the order shown on the page."""
        entries = [
            {"anchor": "", "label": "", "message": message}
            for message in self.errors.get(NON_FIELD_ERRORS, [])
        ]
        for item in self.layout:
            if isinstance(item, RowGroup):
                entries += [
                    {"anchor": item.id, "label": item.label, "message": message}
                    for message in item.errors
                ]
                fields = [field for row in item.rows for field in row.fields]
            else:
                fields = [item]
            for field in fields:
                entries += [
                    {"anchor": field.summary_anchor, "label": field.summary_label, "message": m}
                    for m in field.errors
                ]
        return entries


def schema_form_class(
    schema: Mapping[str, Any],
    *,
    choices: Choices | None = None,
    user_exists: UserExists | None = None,
) -> type[SchemaForm]:
    """Build the form class for ``schema``; raises FormSchemaError if it cannot."""
    clashes = RESERVED_NAMES.intersection(schema.get("properties", {}))
    if clashes:
        raise FormSchemaError(f"Property names reserved by the form template: {sorted(clashes)}")
    required = set(schema.get("required", ()))
    context = {"choices": choices or {}, "user_exists": user_exists}
    fields: dict[str, forms.Field] = {}
    row_groups: dict[str, RowGroupSpec] = {}
    for name, prop in schema.get("properties", {}).items():
        if not is_row_array(prop):
            fields[name] = build_field(prop, required=name in required, **context)
            continue
        spec = RowGroupSpec.from_property(name, prop)
        row_groups[name] = spec
        columns = prop["items"].get("properties", {})
        for index in range(spec.rows):
            for column in spec.columns:
                # Row cells are optional for Django: a blank row is allowed and
                # required cells of used rows are enforced by the schema.
                field = build_field(columns[column], required=False, **context)
                field.hints = _row_hints(field.hints, spec, index, column)
                fields[spec.field_name(index, column)] = field
    attrs = {
        **fields,
        "schema": copy.deepcopy(dict(schema)),
        "validation_schema": validation_schema(schema),
        "row_groups": row_groups,
        "__module__": __name__,
    }
    return type("BuiltSchemaForm", (SchemaForm,), attrs)


def build_form(
    schema: Mapping[str, Any],
    *,
    data=None,
    initial: Mapping[str, Any] | None = None,
    choices: Choices | None = None,
    user_exists: UserExists | None = None,
    prefix: str | None = None,
) -> SchemaForm:
    """Return a form for ``schema``, bound to ``data`` (flat POST names) if given.

    ``initial`` is JSON-shaped, like cleaned_json(): repeated rows as a list
    of dicts. ``choices`` maps ``x-choices-from`` keys to (value, label)
    pairs; labels from the caller are shown as given, not translated.
    """
    schema = _rows_for_initial(schema, initial)
    form_class = schema_form_class(schema, choices=choices, user_exists=user_exists)
    return form_class(data, initial=initial, prefix=prefix)


def _rows_for_initial(schema: Mapping[str, Any], initial: Mapping[str, Any] | None):
    """Grow repeated-row groups so every prefilled row shows, plus two blank
    ones (a reopened case may already have more rows than ``x-rows``)."""
    if not initial:
        return schema
    properties = dict(schema.get("properties", {}))
    changed = False
    for name, prop in properties.items():
        rows = initial.get(name)
        if is_row_array(prop) and isinstance(rows, list):
            wanted = len(rows) + 2
            if wanted > int(prop.get("x-rows", DEFAULT_ROWS)):
                properties[name] = {**prop, "x-rows": wanted}
                changed = True
    return {**schema, "properties": properties} if changed else schema


def _row_hints(hints: FieldHints, spec: RowGroupSpec, index: int, column: str) -> FieldHints:
    return replace(
        hints, row=(spec.title, index + 1), required_in_row=column in spec.required_columns
    )


def _is_empty(value: Any) -> bool:
    return value is None or value == ""


def _to_json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return list(value)
    return value
