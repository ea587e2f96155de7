"""The five schemas in workflows/forms: valid JSON Schema, buildable, and BPMN-compatible."""

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from jsonschema import Draft202012Validator

from forms.builder import build_form
from forms.schemas import load_schema, schema_files

from .conftest import UNITS, user_exists

SHIPPED = [
    "incident_report.json",
    "incident_triage.json",
    "incident_measures.json",
    "incident_measure_report.json",
    "incident_closure.json",
]

# One valid browser post per schema, with the keys the BPMN reads.
VALID_POSTS = {
    "incident_report.json": {
        "title": "Loose handrail",
        "incident_type": "near_accident",
        "categories": ["building"],
        "event_date": "2025-03-14",
        "campus": "gjovik",
        "building": "A",
        "unit": "ivt",
        "description": "It came off.",
    },
    "incident_triage.json": {"triage_decision": "accept", "severity": "serious"},
    "incident_measures.json": {
        "consequence": "A fall",
        "cause": "Loose screws",
        "measures-0-title": "Fix",
        "measures-0-owner": "owner",
        "measures-0-deadline": "2030-01-01",
    },
    "incident_measure_report.json": {"status": "done"},
    "incident_closure.json": {
        "closure_decision": "reopen",
        "severity": "less_serious",
        "closure_comment": "Needs more work",
    },
}


def test_every_schema_the_bpmn_names_is_shipped():
    bpmn = (settings.VARDE_WORKFLOW_DIR / "incident.bpmn").read_text(encoding="utf-8")
    assert set(SHIPPED) <= {path.name for path in schema_files()}
    for name in SHIPPED[1:]:
        assert f'value="{name}"' in bpmn


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_schema_is_valid_json_schema(name):
    Draft202012Validator.check_schema(load_schema(name))


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_schema_builds_renders_and_accepts_a_valid_post(name):
    schema = load_schema(name)
    form = build_form(
        schema, data=VALID_POSTS[name], choices={"units": UNITS}, user_exists=user_exists
    )

    assert form.is_valid(), form.errors
    Draft202012Validator(schema).validate(form.cleaned_json())
    assert render_to_string("forms/schema_form.html", {"form": form})


def test_gateway_values_match_the_bpmn():
    """The BPMN gateways compare against these literal enum values."""
    triage = load_schema("incident_triage.json")["properties"]
    closure = load_schema("incident_closure.json")["properties"]
    report = load_schema("incident_measure_report.json")["properties"]

    assert triage["triage_decision"]["enum"] == ["accept", "transfer", "reject"]
    assert closure["closure_decision"]["enum"] == ["close", "reopen"]
    assert report["status"]["enum"] == ["done", "not_feasible"]


@pytest.mark.parametrize(
    ("name", "prop"),
    [
        ("incident_report.json", "severity_suggested"),
        ("incident_triage.json", "severity"),
        ("incident_closure.json", "severity"),
    ],
)
def test_severity_options_carry_their_definitions(name, prop):
    severity = load_schema(name)["properties"][prop]

    assert severity["enum"] == ["critical", "serious", "less_serious"]
    assert severity["x-widget"] == "radio"
    assert set(severity["x-enum-descriptions"]) == set(severity["enum"])
    assert severity["x-enum-descriptions"]["less_serious"].startswith("First-aid-only injury")


def test_measures_give_the_bpmn_a_list_of_title_owner_deadline():
    form = build_form(
        load_schema("incident_measures.json"),
        data=VALID_POSTS["incident_measures.json"],
        user_exists=user_exists,
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_json()["measures"] == [
        {"title": "Fix", "owner": "owner", "deadline": "2030-01-01"}
    ]


def test_load_schema_refuses_paths_outside_the_form_folder():
    with pytest.raises(ValueError):
        load_schema("../incident.bpmn")
