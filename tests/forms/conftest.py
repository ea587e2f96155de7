"""Fixtures for the schema-form tests: English messages and sample schemas."""

import json

import pytest
from django.conf import settings
from django.utils import translation

UNITS = [("ivt", "Fakultet for ingeniørvitenskap"), ("nv", "Fakultet for naturvitenskap")]
KNOWN_USERS = {"owner", "coordinator"}


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English; LANGUAGE_CODE is Norwegian."""
    with translation.override("en"):
        yield


def load_shipped(name: str) -> dict:
    path = settings.VARDE_WORKFLOW_DIR / "forms" / name
    return json.loads(path.read_text(encoding="utf-8"))


def user_exists(username: str) -> bool:
    return username in KNOWN_USERS


@pytest.fixture
def report_schema():
    return load_shipped("incident_report.json")


@pytest.fixture
def triage_schema():
    return load_shipped("incident_triage.json")


@pytest.fixture
def measures_schema():
    return load_shipped("incident_measures.json")


@pytest.fixture
def valid_report_post():
    """A complete report as the browser posts it (flat names, strings)."""
    return {
        "title": "Loose handrail in stairwell",
        "incident_type": "near_accident",
        "categories": ["building", "personal_injury"],
        "event_date": "2025-03-14",
        "campus": "trondheim",
        "building": "Realfagbygget",
        "room": "",
        "unit": "ivt",
        "description": "The handrail came off when I leaned on it.",
        "immediate_action": "",
        "injury_potential": "on",
        "severity_suggested": "serious",
    }
