"""A case stores only its instance state: small, and without the process spec
(which each ProcessDefinition version stores once)."""

import json

import pytest

from cases import services
from cases.models import CaseStatus, ProcessDefinition, Task, TaskState
from cases.services.persistence import load_workflow
from cases.workflow.serialization import state_bytes_to_text
from incidents.services import incident_report_submit
from tests.incidents.conftest import in_days

pytestmark = pytest.mark.django_db

# Text found only in the spec (BPMN scripts, DMN table), never in instance state.
SPEC_ONLY = [
    "incident_routing",  # the DMN decision id
    "dt_incident_routing",  # its decision table
    "r_critical_injury",  # a DMN rule id
    "working_deadline(reported_at",  # the triage-deadline script
    "formJsonSchemaFilename",  # a user task's extension properties
]


def complete(case, bpmn_id, actor, data):
    task = Task.objects.filter(case=case, bpmn_id=bpmn_id, state=TaskState.READY).first()
    services.task_complete(actor=actor, task_id=task.pk, data=data)


@pytest.fixture
def closed_case(definitions, people, report_data):
    """An incident taken through every step, with two corrective actions."""
    coordinator = people["coordinator"]
    case = incident_report_submit(reporter=people["reporter"], data=report_data)
    complete(case, "triage", coordinator, {"triage_decision": "accept", "severity": "serious",
                                           "severity_rationale": "Could have caused a fall."})
    complete(case, "plan_measures", coordinator, {
        "consequence": "Fall risk in a busy stairwell",
        "cause": "Loose bolts after renovation",
        "measures": [
            {"title": "Fix the handrail", "owner": "owner", "deadline": in_days(3)},
            {"title": "Inspect the other stairwells", "owner": "coordinator",
             "deadline": in_days(13)},
        ],
    })
    for _ in range(2):
        task = Task.objects.filter(case=case, bpmn_id="carry_out_measure",
                                   state=TaskState.READY).first()
        services.task_complete(actor=task.assignee, task_id=task.pk,
                               data={"status": "done", "comment": "Done as planned."})
    complete(case, "verify_and_close", people["coordinator2"], {
        "closure_decision": "close", "severity": "serious",
        "closure_comment": "Both actions verified on site.",
    })
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED
    return case


def test_closed_case_state_is_at_most_10_kb(closed_case):
    """The stored (compressed) state of a fully handled incident stays small."""
    assert len(bytes(closed_case.state)) <= 10 * 1024


def test_state_holds_no_spec(closed_case):
    """The spec (BPMN scripts, DMN tables) is stored once on the definition,
    not in each case; the state still loads against the cached spec."""
    text = state_bytes_to_text(closed_case.state)
    spec_json = ProcessDefinition.objects.get(pk=closed_case.definition_id).spec_json
    for needle in SPEC_ONLY:
        assert needle in spec_json, f"{needle!r} should be in the spec"
        assert needle not in text, f"{needle!r} leaked into the case state"
    state = json.loads(text)
    assert "spec" not in state and "subprocess_specs" not in state
    assert load_workflow(closed_case).is_completed()


def test_open_case_state_holds_no_spec(definitions, people, report_data):
    """Also true while the case waits at its first task."""
    case = incident_report_submit(reporter=people["reporter"], data=report_data)
    text = state_bytes_to_text(case.state)
    for needle in SPEC_ONLY:
        assert needle not in text, f"{needle!r} leaked into the case state"
