"""Repeated row groups: ``type: array`` of objects as a fixed set of rows.

Formsets would need a management form and JavaScript to add rows; a fixed
number of rows (``x-rows``, default 5) posts as plain fields named
``<array>-<row>-<property>`` and works without scripts. Rows left blank are
dropped when cleaning, so only used rows reach the JSON.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

from forms.fields import translatable

DEFAULT_ROWS = 5


def is_row_array(prop: Mapping[str, Any]) -> bool:
    return prop.get("type") == "array" and prop.get("items", {}).get("type") == "object"


@dataclass(frozen=True)
class RowGroupSpec:
    """The shape of one repeated row group, taken from its schema property."""

    name: str
    title: str
    description: str
    rows: int
    columns: tuple[str, ...]
    required_columns: frozenset[str]
    min_items: int

    @classmethod
    def from_property(cls, name: str, prop: Mapping[str, Any]) -> "RowGroupSpec":
        items = prop["items"]
        return cls(
            name=name,
            title=prop.get("title", ""),
            description=prop.get("description", ""),
            rows=int(prop.get("x-rows", DEFAULT_ROWS)),
            columns=tuple(items.get("properties", {})),
            required_columns=frozenset(items.get("required", ())),
            min_items=int(prop.get("minItems", 0)),
        )

    def field_name(self, index: int, column: str) -> str:
        return f"{self.name}-{index}-{column}"


def is_blank(raw_value: Any) -> bool:
    """Whether a posted value counts as "not filled in" (an unticked box too)."""
    return raw_value in (None, "", False, [])


@dataclass(frozen=True)
class Row:
    number: int
    fields: list

    @property
    def legend(self) -> str:
        return gettext("Row %(number)d") % {"number": self.number}


class RowGroup:
    """A row group bound to a form, for the template and error summary."""

    is_row_group = True

    def __init__(self, form, spec: RowGroupSpec):
        self.form = form
        self.spec = spec
        self.name = spec.name

    @property
    def id(self) -> str:
        html_name = self.form.add_prefix(self.name)
        return self.form.auto_id % html_name if self.form.auto_id else html_name

    @property
    def label(self) -> Any:
        return translatable(self.spec.title)

    @property
    def help_text(self) -> Any:
        return translatable(self.spec.description)

    @property
    def help_id(self) -> str:
        return f"{self.id}-help"

    @property
    def error_id(self) -> str:
        return f"{self.id}-error"

    @property
    def marked_required(self) -> bool:
        return self.spec.min_items >= 1

    @property
    def errors(self):
        return self.form.errors.get(self.name, [])

    @property
    def describedby(self) -> str:
        ids = [self.help_id]
        if self.errors:
            ids.append(self.error_id)
        return " ".join(ids)

    @property
    def rows(self) -> list[Row]:
        return [
            Row(
                number=index + 1,
                fields=[self.form[self.spec.field_name(index, c)] for c in self.spec.columns],
            )
            for index in range(self.spec.rows)
        ]
