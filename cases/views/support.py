"""Helpers shared by the case screens: schema forms, labels, redirects.

Nothing here writes; the views call ``cases.services`` for that.
"""

from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext

from cases.models import ProcessDefinition, Task
from cases.outcomes import OUTCOME_LABELS  # noqa: F401  (the case screens' import)
from forms.builder import SchemaForm, build_form
from forms.schemas import load_schema, schema_files
from org.models import Unit
from org.roles import HSE_ADMIN, ROLES, UNIT_LEADER
from org.selectors import user_role_names


def roles_of(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_varde_view_roles", None)
    if cached is None:
        cached = user_role_names(user=user)
        user._varde_view_roles = cached
    return cached


def has_staff_role(user) -> bool:
    """Holds one of Varde's roles: sees group queues."""
    return bool(roles_of(user) & set(ROLES))


def sees_escalations(user) -> bool:
    return bool(roles_of(user) & {UNIT_LEADER, HSE_ADMIN})


def role_label(name: str) -> str:
    return str(ROLES.get(name, name))


def unit_choices() -> list[tuple[str, str]]:
    return list(Unit.objects.order_by("name").values_list("code", "name"))


def user_exists(username: str) -> bool:
    return get_user_model().objects.filter(username=username, is_active=True).exists()


def task_schema(task: Task) -> dict | None:
    return task.case.definition.forms.get(task.form_name) if task.form_name else None


def build_task_form(task: Task, *, data=None, initial=None) -> SchemaForm | None:
    schema = task_schema(task)
    if schema is None:
        return None
    return build_form(
        schema, data=data, initial=initial,
        choices={"units": unit_choices()}, user_exists=user_exists,
    )


def redirect_back(request, default: str):
    """Redirect to the posted ``next`` if it is a page of this site, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


# Labels of stored values, taken from the form schemas of the definitions.

def _enum_labels(prop: Mapping[str, Any]) -> dict[str, str]:
    labels = dict(prop.get("items", {}).get("x-enum-labels", {}))
    labels.update(prop.get("x-enum-labels", {}))
    return labels


def _all_schemas() -> list[Mapping[str, Any]]:
    """Task forms of every definition version, then the schema files as they
    are now (start forms such as the incident report are no task form)."""
    schemas = [
        schema
        for forms in ProcessDefinition.objects.order_by("version").values_list("forms", flat=True)
        for schema in (forms or {}).values()
    ]
    return schemas + [load_schema(path.name) for path in schema_files()]


def _property_values(field: str, key: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for schema in _all_schemas():
        prop = schema.get("properties", {}).get(field)
        if prop:
            found.update(_enum_labels(prop) if key == "x-enum-labels" else prop.get(key, {}))
    return {value: gettext(text) for value, text in found.items() if text}


def schema_value_labels(field: str) -> dict[str, str]:
    """value → translated label for a field named ``field`` in any form schema.

    Severities and categories are stored as codes; the forms that ask for
    them label them, and the newest wording wins.
    """
    return _property_values(field, "x-enum-labels")


def schema_value_descriptions(field: str) -> dict[str, str]:
    return _property_values(field, "x-enum-descriptions")


def labelled_choices(labels: Mapping[str, str]) -> list[tuple[str, str]]:
    return list(labels.items())


def display_value(prop: Mapping[str, Any] | None, value: Any) -> Any:
    """A stored form value as a reader should see it (labels, yes/no, rows)."""
    prop = prop or {}
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    labels = _enum_labels(prop)
    if isinstance(value, list):
        if value and all(isinstance(row, Mapping) for row in value):
            columns = prop.get("items", {}).get("properties", {})
            return [
                "; ".join(
                    f"{_title(columns.get(key), key)}: {display_value(columns.get(key), cell)}"
                    for key, cell in row.items()
                )
                for row in value
            ]
        return ", ".join(gettext(labels[v]) if v in labels else str(v) for v in value)
    if isinstance(value, str) and value in labels:
        return gettext(labels[value])
    return "" if value is None else str(value)


def _title(prop: Mapping[str, Any] | None, key: str) -> str:
    title = (prop or {}).get("title")
    return gettext(title) if title else key


def field_title(schema: Mapping[str, Any] | None, key: str) -> str:
    return _title((schema or {}).get("properties", {}).get(key), key)
