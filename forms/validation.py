"""Final validation of a form's JSON against its schema.

Django fields convert and check each value, but the schema is the source of
truth: after field cleaning the whole JSON goes through
``Draft202012Validator``, and every violation is reported with the path of
the value it concerns so the form can show it next to that field.

``x-required-if`` is a UI hint, not JSON Schema, so ``validation_schema``
compiles it into ``if``/``then`` rules first. That keeps one mechanism for
"required", including required columns of partly filled rows.
"""

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext, ngettext
from jsonschema import Draft202012Validator


@dataclass(frozen=True)
class Violation:
    """One schema error; ``path`` leads to the offending (or missing) value."""

    path: tuple[str | int, ...]
    validator: str
    limit: Any = None


def validation_schema(schema: Mapping[str, Any]) -> dict[str, Any]:
    """Return a copy of the schema with ``x-required-if`` expressed as JSON Schema."""
    compiled = copy.deepcopy(dict(schema))
    _compile_required_if(compiled)
    return compiled


def _compile_required_if(node: dict[str, Any]) -> None:
    properties = node.get("properties", {})
    rules = []
    for name, prop in properties.items():
        condition = prop.get("x-required-if")
        if condition:
            field, value = condition["field"], condition["equals"]
            rules.append(
                {
                    "if": {"properties": {field: {"const": value}}, "required": [field]},
                    "then": {"required": [name]},
                }
            )
        if prop.get("type") == "array" and isinstance(prop.get("items"), dict):
            _compile_required_if(prop["items"])
    if rules:
        node["allOf"] = [*node.get("allOf", []), *rules]


def schema_violations(schema: Mapping[str, Any], instance: Any) -> Iterator[Violation]:
    """Yield the violations of ``instance``; a missing property gets its own path."""
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    for error in validator.iter_errors(instance):
        path = tuple(error.absolute_path)
        if error.validator in ("required", "dependentRequired"):
            for name in _missing_properties(error.validator, error.validator_value, error.instance):
                yield Violation((*path, name), "required")
        else:
            yield Violation(path, str(error.validator), error.validator_value)


def _missing_properties(keyword: str, rule: Any, instance: Any) -> list[str]:
    if not isinstance(instance, dict):
        return []
    if keyword == "dependentRequired":
        names = [dep for key, deps in rule.items() if key in instance for dep in deps]
    else:
        names = list(rule)
    return [name for name in dict.fromkeys(names) if name not in instance]


def violation_message(violation: Violation, *, rows: bool = False) -> str:
    """A translated message for a violation; ``rows`` words item counts as rows."""
    limit = violation.limit
    match violation.validator:
        case "required":
            return gettext("This field is required.")
        case "maxLength":
            return ngettext(
                "Use at most %(limit)d character.", "Use at most %(limit)d characters.", limit
            ) % {"limit": limit}
        case "minLength":
            return ngettext(
                "Use at least %(limit)d character.", "Use at least %(limit)d characters.", limit
            ) % {"limit": limit}
        case "minimum":
            return gettext("The value must be at least %(limit)s.") % {"limit": limit}
        case "maximum":
            return gettext("The value must be at most %(limit)s.") % {"limit": limit}
        case "minItems" if rows:
            return ngettext(
                "Fill in at least %(limit)d row.", "Fill in at least %(limit)d rows.", limit
            ) % {"limit": limit}
        case "minItems":
            return ngettext(
                "Select at least %(limit)d option.", "Select at least %(limit)d options.", limit
            ) % {"limit": limit}
        case "maxItems" if rows:
            return ngettext(
                "Fill in at most %(limit)d row.", "Fill in at most %(limit)d rows.", limit
            ) % {"limit": limit}
        case "maxItems":
            return ngettext(
                "Select at most %(limit)d option.", "Select at most %(limit)d options.", limit
            ) % {"limit": limit}
        case "enum" | "const":
            return gettext("Select a valid choice.")
        case _:
            return gettext("Enter a valid value.")
