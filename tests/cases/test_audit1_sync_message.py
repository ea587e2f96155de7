"""Audit (issue 12 item 3): a message catch event that names no message at
all is accepted by sync_workflows and stored as a new version; a case that
reaches it can never continue. It should be refused like an undefined
message, naming the file and the element."""

import pytest
from django.core.management import CommandError

from cases.models import ProcessDefinition
from tests.cases.test_sync_workflows import edit, sync, workflow_dir  # noqa: F401

pytestmark = pytest.mark.django_db


def test_message_event_without_message_ref_is_refused(workflow_dir):  # noqa: F811
    edit(workflow_dir,
         '<bpmn:sequenceFlow id="f_done" sourceRef="second_step" targetRef="end"/>',
         '<bpmn:sequenceFlow id="f_done" sourceRef="second_step" targetRef="wait_msg"/>\n'
         '    <bpmn:sequenceFlow id="f_msg" sourceRef="wait_msg" targetRef="end"/>')
    edit(workflow_dir,
         '<bpmn:endEvent id="end">\n      <bpmn:incoming>f_done</bpmn:incoming>',
         '<bpmn:intermediateCatchEvent id="wait_msg" name="Wait">\n'
         '      <bpmn:incoming>f_done</bpmn:incoming>\n'
         '      <bpmn:outgoing>f_msg</bpmn:outgoing>\n'
         '      <bpmn:messageEventDefinition id="med"/>\n'
         '    </bpmn:intermediateCatchEvent>\n'
         '    <bpmn:endEvent id="end">\n      <bpmn:incoming>f_msg</bpmn:incoming>')
    with pytest.raises(CommandError) as failure:
        sync(workflow_dir)
    message = str(failure.value)
    assert "versioned.bpmn" in message and "wait_msg" in message
    assert not ProcessDefinition.objects.filter(process_id="versioned").exists()
