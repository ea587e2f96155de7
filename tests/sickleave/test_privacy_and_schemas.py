"""No diagnosis field anywhere, a warning on every free-text field, and form
schemas that fit the BPMN (every named form exists, gateway values match)."""

import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.template.loader import render_to_string
from jsonschema import Draft202012Validator

from cases.workflow.specs import parse_process
from forms.builder import build_form
from forms.schemas import load_schema

WORKFLOWS = Path(settings.VARDE_WORKFLOW_DIR)
BPMN = WORKFLOWS / "sick_leave_followup.bpmn"
SCHEMAS = sorted(p.name for p in (WORKFLOWS / "forms").glob("sick_leave_*.json"))


def test_no_diagnosis_field_anywhere():
    for model in apps.get_app_config("sickleave").get_models():
        for field in model._meta.get_fields():
            assert "diagnos" not in field.name.lower(), f"{model.__name__}.{field.name}"
    for name in SCHEMAS:
        assert "diagnos" not in " ".join(load_schema(name)["properties"]).lower(), name


@pytest.mark.parametrize("name", SCHEMAS)
def test_free_text_fields_warn_against_medical_details(name):
    for key, prop in load_schema(name)["properties"].items():
        free_text = prop.get("type") == "string" and not (
            {"enum", "format", "x-choices-from"} & set(prop)
        )
        if free_text:
            assert "medical" in prop.get("x-warning", ""), f"{name}: {key}"


@pytest.mark.parametrize("name", SCHEMAS)
def test_schema_is_valid_and_renders(name):
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    form = build_form(schema)
    assert render_to_string("forms/schema_form.html", {"form": form})


def test_every_form_the_process_names_is_shipped():
    parsed = parse_process(BPMN, [])
    named = {t.properties["formJsonSchemaFilename"] for t in parsed.user_tasks}
    assert named <= set(SCHEMAS)
    assert {t.lane for t in parsed.user_tasks} == {"unit_leader"}
    assert parsed.confidential and parsed.reference_prefix == "SYK"


def test_gateway_values_match_the_form_enums():
    """Each literal the BPMN compares a form answer with is one of its values."""
    text = BPMN.read_text(encoding="utf-8")
    enums = {}
    for name in SCHEMAS:
        for key, prop in load_schema(name)["properties"].items():
            enums.setdefault(key, set()).update(prop.get("enum", []))
    compared = re.findall(r"(\w+) == &quot;(\w+)&quot;|(\w+) == \"(\w+)\"", text)
    assert compared
    for a, b, c, d in compared:
        field, value = (a, b) if a else (c, d)
        assert value in enums[field], (field, value)


def test_plan_schema_has_the_four_parts_of_the_law():
    properties = load_schema("sick_leave_plan.json")["properties"]
    assert [p["title"] for p in properties.values()] == [
        "Assessment of tasks and work capacity",
        "Measures the employer takes",
        "Measures with help from NAV or others",
        "Plan for further follow-up",
    ]


def test_schema_files_are_utf8_json():
    for name in SCHEMAS:
        json.loads((WORKFLOWS / "forms" / name).read_text(encoding="utf-8"))
