"""``manage.py sync_workflows``: versions, running cases on old versions, and
invalid definitions refused with a message naming the file and element.

Works on a temporary copy of the fixture ``versioned.bpmn`` (first_step →
second_step) so the tests can edit it.
"""

import io

import pytest
from django.core.management import CommandError, call_command

from cases import services
from cases.models import Case, CaseStatus, ProcessDefinition, Task, TaskState
from tests.fixtures.bpmn import copy_processes

pytestmark = pytest.mark.django_db


@pytest.fixture
def workflow_dir(tmp_path, units):
    return copy_processes(tmp_path, "versioned.bpmn")


def sync(directory) -> str:
    out = io.StringIO()
    call_command("sync_workflows", dir=str(directory), stdout=out)
    return out.getvalue()


def edit(directory, old: str, new: str, file: str = "versioned.bpmn") -> None:
    path = directory / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {file}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def start(unit):
    return services.case_start(process_id="versioned", title="Versioned", data={}, unit=unit)


def open_task(case, bpmn_id):
    return Task.objects.get(case=case, bpmn_id=bpmn_id, state=TaskState.READY)


def test_unchanged_files_make_no_new_version(workflow_dir):
    """Syncing the same files twice keeps one version."""
    assert "versioned: v1 (new version)" in sync(workflow_dir)
    assert "versioned: v1 (unchanged)" in sync(workflow_dir)
    assert ProcessDefinition.objects.filter(process_id="versioned").count() == 1


def test_changed_bpmn_makes_version_2_and_running_cases_stay_on_version_1(
    workflow_dir, people, units
):
    """A case started on v1 keeps the v1 model (and task names) to the end;
    new cases start on v2."""
    sync(workflow_dir)
    old_case = start(units["ivt"])
    assert open_task(old_case, "first_step").name == "First step"

    edit(workflow_dir, 'name="First step"', 'name="First step, revised"')
    assert "versioned: v2 (new version)" in sync(workflow_dir)
    v1, v2 = ProcessDefinition.objects.filter(process_id="versioned").order_by("version")
    assert (v1.version, v2.version) == (1, 2)
    assert v1.content_hash != v2.content_hash

    new_case = start(units["ivt"])
    assert new_case.definition == v2
    assert open_task(new_case, "first_step").name == "First step, revised"

    old_case = Case.objects.get(pk=old_case.pk)
    assert old_case.definition == v1
    coordinator = people["coordinator"]
    first = open_task(old_case, "first_step")
    services.task_complete(actor=coordinator, task_id=first.pk, data={"note": "v1"})
    second = open_task(old_case, "second_step")
    services.task_complete(actor=coordinator, task_id=second.pk, data={})
    old_case.refresh_from_db()
    assert old_case.status == CaseStatus.COMPLETED
    assert Task.objects.get(pk=first.pk).name == "First step"


def test_changed_form_schema_makes_a_new_version(workflow_dir):
    """Form schemas are part of a version: a changed schema is a new version."""
    sync(workflow_dir)
    edit(workflow_dir, '"maxLength": 200', '"maxLength": 500', file="forms/test_note.json")
    assert "versioned: v2 (new version)" in sync(workflow_dir)
    latest = ProcessDefinition.objects.get(process_id="versioned", version=2)
    assert latest.forms["test_note.json"]["properties"]["note"]["maxLength"] == 500


SERVICE_TASK = """    <bpmn:serviceTask id="call_nowhere" name="Call an unknown operation">
      <bpmn:extensionElements>
        <spiffworkflow:serviceTaskOperator id="test.not_registered" resultVariable="r">
          <spiffworkflow:parameters/>
        </spiffworkflow:serviceTaskOperator>
      </bpmn:extensionElements>
      <bpmn:incoming>f_first</bpmn:incoming>
      <bpmn:outgoing>f_called</bpmn:outgoing>
    </bpmn:serviceTask>
"""
SECOND_STEP = '    <bpmn:userTask id="second_step"'
SECOND_STEP_FORM = (
    '<spiffworkflow:property name="formJsonSchemaFilename" value="test_note.json"/>\n'
    "        </spiffworkflow:properties>\n      </bpmn:extensionElements>\n"
    "      <bpmn:incoming>f_first</bpmn:incoming>"
)
FIRST_STEP_FORM = (
    'value="test_note.json"/>\n        </spiffworkflow:properties>\n'
    "      </bpmn:extensionElements>\n      <bpmn:incoming>f_start"
)

# problem: (edits of versioned.bpmn, words the error message must contain)
INVALID = {
    "schema error": (
        [("<bpmn:incoming>f_first</bpmn:incoming>", "<bpmn:incomming>f_first</bpmn:incomming>")],
        ["versioned.bpmn", "line ", "'second_step'", "incomming"],
    ),
    "not well-formed XML": (
        [('<bpmn:endEvent id="end">', '<bpmn:endEvent id="end"')],
        ["versioned.bpmn", "not well-formed"],
    ),
    "user task without a form": (
        [(SECOND_STEP_FORM, SECOND_STEP_FORM.split("\n", 1)[1])],
        ["versioned.bpmn", "user task 'second_step'", "no form"],
    ),
    "form file missing": (
        [(FIRST_STEP_FORM, FIRST_STEP_FORM.replace("test_note.json", "missing_form.json"))],
        ["versioned.bpmn", "user task 'first_step'", "missing_form.json", "not found"],
    ),
    "lane with no group": (
        [('name="hse_coordinator"', 'name="night_watch"')],
        ["versioned.bpmn", "user task 'first_step'", "night_watch", "no group"],
    ),
    # SpiffWorkflow's own parser crashes here (a TypeError from its
    # raise_validation_exception); the designer gets what it meant to say.
    "message event naming no message": (
        [
            ('<bpmn:sequenceFlow id="f_done" sourceRef="second_step" targetRef="end"/>',
             '<bpmn:sequenceFlow id="f_done" sourceRef="second_step" targetRef="wait_msg"/>\n'
             '    <bpmn:sequenceFlow id="f_msg" sourceRef="wait_msg" targetRef="end"/>'),
            ('<bpmn:endEvent id="end">\n      <bpmn:incoming>f_done</bpmn:incoming>',
             '<bpmn:intermediateCatchEvent id="wait_msg" name="Wait">\n'
             '      <bpmn:incoming>f_done</bpmn:incoming>\n'
             '      <bpmn:outgoing>f_msg</bpmn:outgoing>\n'
             '      <bpmn:messageEventDefinition id="med" messageRef="Message_gone"/>\n'
             '    </bpmn:intermediateCatchEvent>\n'
             '    <bpmn:endEvent id="end">\n      <bpmn:incoming>f_msg</bpmn:incoming>'),
        ],
        ["versioned.bpmn", "element 'wait_msg'", "Message_gone", "does not define"],
    ),
    "unregistered service operation": (
        [
            # first_step -> call_nowhere -> second_step
            ("<bpmn:incoming>f_first</bpmn:incoming>", "<bpmn:incoming>f_called</bpmn:incoming>"),
            (SECOND_STEP, SERVICE_TASK + SECOND_STEP),
            ('sourceRef="first_step" targetRef="second_step"/>',
             'sourceRef="first_step" targetRef="call_nowhere"/>\n    <bpmn:sequenceFlow '
             'id="f_called" sourceRef="call_nowhere" targetRef="second_step"/>'),
        ],
        ["versioned.bpmn", "service task 'call_nowhere'", "test.not_registered",
         "not registered"],
    ),
}


@pytest.mark.parametrize("problem", list(INVALID))
def test_invalid_definition_fails_the_command_naming_file_and_element(workflow_dir, problem):
    """Each broken definition fails with a CommandError that names the file
    and the element, and stores nothing."""
    edits, words = INVALID[problem]
    for old, new in edits:
        edit(workflow_dir, old, new)
    with pytest.raises(CommandError) as failure:
        sync(workflow_dir)
    message = str(failure.value)
    for word in words:
        assert word in message, f"{word!r} missing from: {message}"
    for python_text in ("TypeError", "Traceback", "unexpected keyword argument"):
        assert python_text not in message
    assert not ProcessDefinition.objects.filter(process_id="versioned").exists()


def _write_latin1(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_bytes(text.replace(old, new).encode("latin-1"))


@pytest.mark.parametrize(
    "file, old, new, words",
    [
        # A modeler that declares UTF-8 and writes Latin-1 bytes.
        ("versioned.bpmn", 'name="Second step"', 'name="Andre steg på øya"',
         ["versioned.bpmn", "line 30", "not valid UTF-8", "0xe5", "save the file as UTF-8"]),
        # Well-formed Latin-1, but Varde stores every source as UTF-8.
        ("versioned.bpmn", 'encoding="UTF-8"', 'encoding="ISO-8859-1"',
         ["versioned.bpmn", "line 1", "ISO-8859-1", "save the file as UTF-8"]),
        ("forms/test_note.json", '"title": "Test step"', '"title": "Merknad på norsk"',
         ["test_note.json", "not valid UTF-8", "save the file as UTF-8"]),
    ],
    ids=["bpmn declared utf-8 holding latin-1", "bpmn declared latin-1", "form in latin-1"],
)
def test_a_file_that_is_not_utf8_is_refused_by_name(workflow_dir, file, old, new, words):
    """No UnicodeDecodeError traceback: the command names the file and the
    first bad byte, and stores nothing."""
    _write_latin1(workflow_dir / file, old, new)
    with pytest.raises(CommandError) as failure:
        sync(workflow_dir)
    message = str(failure.value)
    for word in words:
        assert word in message, f"{word!r} missing from: {message}"
    assert "UnicodeDecodeError" not in message
    assert not ProcessDefinition.objects.filter(process_id="versioned").exists()


def test_invalid_new_version_keeps_the_old_one(workflow_dir, units):
    """A broken edit of an installed process leaves the installed version in use."""
    sync(workflow_dir)
    edit(workflow_dir, 'name="hse_coordinator"', 'name="night_watch"')
    with pytest.raises(CommandError):
        sync(workflow_dir)
    assert list(
        ProcessDefinition.objects.filter(process_id="versioned").values_list("version", flat=True)
    ) == [1]
    assert start(units["ivt"]).definition.version == 1
