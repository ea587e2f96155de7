"""Issue 12 item 3: an event definition the engine delivers by name must name
its message or signal; sync_workflows refuses one that does not (file and
element in the message). Error and escalation definitions without a
reference are BPMN's catch-alls and stay allowed."""

import pytest
from django.core.management import CommandError

from cases.models import ProcessDefinition
from tests.cases.test_sync_workflows import edit, sync, workflow_dir  # noqa: F401

pytestmark = pytest.mark.django_db

FLOW = '<bpmn:sequenceFlow id="f_done" sourceRef="second_step" targetRef="end"/>'
END = '<bpmn:endEvent id="end">\n      <bpmn:incoming>f_done</bpmn:incoming>'


def wait_for(workflow_dir, definition: str) -> None:  # noqa: F811
    edit(workflow_dir, FLOW,
         '<bpmn:sequenceFlow id="f_done" sourceRef="second_step" targetRef="wait_evt"/>\n'
         '    <bpmn:sequenceFlow id="f_evt" sourceRef="wait_evt" targetRef="end"/>')
    edit(workflow_dir, END,
         '<bpmn:intermediateCatchEvent id="wait_evt" name="Wait">\n'
         '      <bpmn:incoming>f_done</bpmn:incoming>\n'
         '      <bpmn:outgoing>f_evt</bpmn:outgoing>\n'
         f'      {definition}\n'
         '    </bpmn:intermediateCatchEvent>\n'
         '    <bpmn:endEvent id="end">\n      <bpmn:incoming>f_evt</bpmn:incoming>')


def test_signal_event_without_signal_ref_is_refused(workflow_dir):  # noqa: F811
    wait_for(workflow_dir, '<bpmn:signalEventDefinition id="sed"/>')
    with pytest.raises(CommandError) as failure:
        sync(workflow_dir)
    message = str(failure.value)
    assert "versioned.bpmn" in message and "wait_evt" in message and "signalRef" in message
    assert not ProcessDefinition.objects.filter(process_id="versioned").exists()


def test_signal_event_with_its_signal_is_accepted(workflow_dir):  # noqa: F811
    wait_for(workflow_dir, '<bpmn:signalEventDefinition id="sed" signalRef="sig_go"/>')
    edit(workflow_dir, "</bpmn:definitions>",
         '  <bpmn:signal id="sig_go" name="go"/>\n</bpmn:definitions>')
    sync(workflow_dir)
    assert ProcessDefinition.objects.filter(process_id="versioned").count() == 1
