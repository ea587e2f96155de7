"""The restricted script engine refuses sandbox escapes, on the real engine.

Fixture process ``sandbox.bpmn`` routes on the start data ``attack`` to one
script task (or gateway condition) that tries to reach the operating system.
Each attempt must put the case in error at that element, with a message, and
must not have run: the variable ``escaped`` the script would set is absent and
the user task after the script was never reached.
"""

import pytest

from cases import services
from cases.models import CaseEvent, CaseStatus, EventKind, Task, TaskState
from cases.services.persistence import load_workflow
from cases.workflow.scripting import RestrictedScriptEngine
from tests.fixtures.bpmn import install_processes

pytestmark = pytest.mark.django_db

ATTACKS = [
    # (start data 'attack', failing BPMN element, words the message must contain)
    ("import_call", "script_import_call", "__import__"),
    ("subclasses", "script_subclasses", "__class__"),
    ("import_statement", "script_import_statement", "__import__"),
    ("open_file", "script_open_file", "open"),
    ("condition", "gw_evil_condition", "__import__"),
]


@pytest.fixture
def sandbox(tmp_path, db):
    return install_processes(tmp_path, "sandbox.bpmn")


def start(attack, *, pause_first=False, unit=None):
    return services.case_start(
        process_id="sandbox", title=f"attack {attack}",
        data={"attack": attack, "pause_first": pause_first}, unit=unit,
    )


def assert_refused(case, element, words):
    case.refresh_from_db()
    assert case.status == CaseStatus.ERROR
    assert case.error_element == element
    assert words in case.error_message
    error_event = CaseEvent.objects.get(case=case, kind=EventKind.ERROR)
    assert error_event.data["element"] == element
    # Nothing ran: the script's variable was never set, nor its successor reached.
    wf = load_workflow(case)
    assert "escaped" not in wf.current_data()
    assert [t.task_spec.bpmn_id for t in wf.error_tasks()] == [element]
    assert not Task.objects.filter(case=case, bpmn_id="inspect").exists()


@pytest.mark.parametrize(("attack", "element", "words"), ATTACKS)
def test_escape_attempt_at_case_start_puts_case_in_error(sandbox, attack, element, words):
    """A script or condition reaching for os, files or the class hierarchy is
    refused: the case is in error at that element, and the script did not run."""
    case = start(attack)
    assert_refused(case, element, words)


def test_harmless_script_runs_in_the_same_engine(sandbox):
    """The control: an ordinary script runs, and the case waits at the next task."""
    case = start("none")
    assert case.status == CaseStatus.RUNNING
    assert load_workflow(case).current_data()["harmless"] == 6
    assert Task.objects.get(case=case, state=TaskState.READY).bpmn_id == "inspect"


def test_restricted_engine_is_reattached_after_loading_from_the_database(sandbox):
    """The engine is not serialized: a case loaded from its stored state must
    run its scripts in the restricted engine again, never the default one."""
    case = start("none", pause_first=True)
    wf = load_workflow(case)
    assert type(wf.workflow.script_engine) is RestrictedScriptEngine
    for task in wf.workflow.get_tasks():
        assert task.workflow.script_engine is wf.workflow.script_engine


@pytest.mark.parametrize(("attack", "element", "words"), ATTACKS)
def test_escape_attempt_after_a_reload_is_still_refused(
    sandbox, people, units, attack, element, words
):
    """The attack runs only after a user task completed on a case reloaded
    from the database (the task service loads the stored state): still refused."""
    case = start(attack, pause_first=True, unit=units["ivt"])
    assert case.status == CaseStatus.RUNNING
    pause = Task.objects.get(case=case, bpmn_id="pause", state=TaskState.READY)

    services.task_complete(actor=people["coordinator"], task_id=pause.pk, data={"note": "go"})

    assert_refused(case, element, words)
    pause.refresh_from_db()
    assert pause.state == TaskState.COMPLETED
