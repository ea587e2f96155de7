"""Every shipped process in workflows/ obeys Varde's rules: each user task
has a form whose file exists and is a valid JSON Schema, each lane is a role
group, and each service task calls a registered operation."""

import json
from pathlib import Path

import jsonschema
import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from cases import operations
from cases.workflow.specs import FORM_PROPERTY, parse_process
from org.roles import ROLES

WORKFLOW_DIR = Path(settings.VARDE_WORKFLOW_DIR)
BPMN_FILES = sorted(WORKFLOW_DIR.glob("*.bpmn"))
DMN_FILES = sorted(WORKFLOW_DIR.glob("*.dmn"))


def test_there_are_processes_to_check():
    assert BPMN_FILES, f"no BPMN files in {WORKFLOW_DIR}"


@pytest.fixture(params=BPMN_FILES, ids=lambda path: path.name)
def parsed(request):
    return parse_process(request.param, DMN_FILES)


def test_every_user_task_has_a_valid_form_schema(parsed):
    assert parsed.user_tasks, f"{parsed.process_id} has no user tasks"
    for task in parsed.user_tasks:
        form = task.properties.get(FORM_PROPERTY)
        assert form, f"{parsed.process_id}: user task {task.bpmn_id} names no form"
        path = WORKFLOW_DIR / "forms" / form
        assert path.is_file(), f"{parsed.process_id}: {task.bpmn_id}: {path} is missing"
        schema = json.loads(path.read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema.get("type") == "object", f"{form}: a form's schema is an object"


@pytest.mark.django_db
def test_every_lane_is_an_existing_role_group(parsed):
    groups = set(Group.objects.values_list("name", flat=True))
    for task in parsed.user_tasks:
        assert task.lane, f"{parsed.process_id}: user task {task.bpmn_id} is in no lane"
        assert task.lane in ROLES, f"{parsed.process_id}: lane {task.lane!r} is not a role"
        assert task.lane in groups, f"{parsed.process_id}: no group named {task.lane!r}"


def test_every_service_task_calls_a_registered_operation(parsed):
    unknown = {
        bpmn_id: name for bpmn_id, name in parsed.service_tasks.items()
        if name not in operations.names()
    }
    assert not unknown, f"{parsed.process_id}: unregistered operations {unknown}"
