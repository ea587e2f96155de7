"""The AMU form schemas: valid JSON Schema, buildable, rendered, accepting a
browser post, with the values the BPMN gateways compare against."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from jsonschema import Draft202012Validator

from forms.builder import build_form
from forms.schemas import load_schema

AMU_SCHEMAS = sorted(p.name for p in (Path(settings.VARDE_WORKFLOW_DIR) / "forms").glob("amu_*"))

VALID_POSTS = {
    "amu_submission.json": {"title": "Noise", "kind": "decision", "description": "Loud",
                            "submitter_role": "employee", "site": "all",
                            "is_building_case": "on", "needs_consent": "no"},
    "amu_escalation.json": {"kind": "information", "description": "Third fall"},
    "amu_screening.json": {"screening_decision": "return", "question": "Which rooms?",
                           "return_deadline": "2030-01-10", "kind": "decision", "site": "all"},
    "amu_supplement.json": {"answer": "Rooms 301-320"},
    "amu_schedule.json": {"meeting_date": "2030-01-10"},
    "amu_decision.json": {"decision_recorded": "on"},
    "amu_consent_application.json": {"application_reference": "2026/1",
                                     "application_sent_on": "2026-01-10"},
    "amu_consent_answer.json": {"authority_answer": "consent",
                                "authority_answer_date": "2026-01-20"},
    "amu_action_report.json": {"action_status": "done"},
    "amu_extra_meeting.json": {"meeting_date": "2030-01-10", "start_time": "09:00"},
}


def test_every_amu_schema_has_a_valid_post():
    assert sorted(VALID_POSTS) == AMU_SCHEMAS


@pytest.mark.parametrize("name", AMU_SCHEMAS)
def test_schema_builds_renders_and_accepts_a_valid_post(name):
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    form = build_form(schema, data=VALID_POSTS[name], user_exists=lambda username: True)
    assert form.is_valid(), form.errors
    Draft202012Validator(schema).validate(form.cleaned_json())
    assert render_to_string("forms/schema_form.html", {"form": form})


def test_gateway_values_match_the_bpmn():
    bpmn = (Path(settings.VARDE_WORKFLOW_DIR) / "amu_case.bpmn").read_text(encoding="utf-8")
    screening = load_schema("amu_screening.json")["properties"]
    assert screening["screening_decision"]["enum"] == ["accept", "return", "reject"]
    assert 'screening_decision == "reject"' in bpmn and 'screening_decision == "return"' in bpmn
    assert screening["needs_consent"]["enum"] == ["yes", "no"]
    assert 'needs_consent == "yes"' in bpmn
    assert load_schema("amu_action_report.json")["properties"]["action_status"]["enum"] == [
        "done", "not_feasible"]


def test_a_time_that_is_not_a_time_is_refused():
    form = build_form(load_schema("amu_extra_meeting.json"),
                      data={"meeting_date": "2030-01-10", "start_time": "9 o'clock"})
    assert not form.is_valid() and "start_time" in form.errors
