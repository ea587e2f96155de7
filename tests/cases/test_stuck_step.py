"""A step that fails while the engine readies a task (here a multi-instance
task entered with a left-over output collection, as the incident process did
on its second round of corrective actions) leaves the case visibly in error,
with its fields intact; a retry runs that task again or leaves the case in
error, never "waiting" with no task and no error.

Fixture process ``stale_output.bpmn``: enter (a note) → prepare (the note
"stale" leaves a non-empty output collection) → handle (multi-instance).
"""

import pytest
from django.urls import reverse
from SpiffWorkflow.util.task import TaskState as SpiffState

from cases import selectors, services
from cases.models import Case, CaseEvent, CaseStatus, EventKind, Task, TaskState
from cases.services.persistence import load_workflow
from tests.fixtures.bpmn import install_processes

pytestmark = pytest.mark.django_db


@pytest.fixture
def processes(tmp_path, db):
    return install_processes(tmp_path, "stale_output.bpmn")


def failed_case(units, people) -> Case:
    case = services.case_start(process_id="stale_output", title="Stale", unit=units["ivt"],
                               data={"severity": "critical"})
    case.refresh_from_db()
    assert case.severity == "critical"
    enter = Task.objects.get(case=case, bpmn_id="enter", state=TaskState.READY)
    services.task_complete(actor=people["coordinator"], task_id=enter.pk, data={"note": "stale"})
    case.refresh_from_db()
    return case


def test_a_failure_while_readying_a_task_is_an_error_at_that_task(processes, units, people,
                                                                  client):
    case = failed_case(units, people)
    assert case.status == CaseStatus.ERROR
    assert case.error_element == "handle"
    assert "output must be empty" in case.error_message
    assert case.severity == "critical"  # the failed step cleared nothing
    assert case in selectors.case_list_in_error()

    client.force_login(people["admin"])
    page = client.get(reverse("cases:detail", args=[case.reference]))
    assert "output must be empty" in page.content.decode()


def test_retry_of_the_same_failure_keeps_the_case_in_error_with_its_fields(
    processes, units, people, client
):
    case = failed_case(units, people)
    client.force_login(people["admin"])
    response = client.post(reverse("cases:retry", args=[case.reference]), follow=True)
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == CaseStatus.ERROR
    assert case.error_element == "handle"
    assert case.severity == "critical"
    assert CaseEvent.objects.filter(case=case, kind=EventKind.ERROR).count() == 2


def test_a_case_stored_stuck_by_the_old_error_path_is_shown_in_error_and_retried(
    processes, units, people
):
    """Before the fix the failing task stayed FUTURE with nothing in error (the
    state stored then is rebuilt here). Saving such a case never makes it
    "waiting"; a retry finds the stuck task and runs it again."""
    case = failed_case(units, people)
    wf = load_workflow(case)
    (failed,) = wf.error_tasks()
    failed._set_state(SpiffState.FUTURE)
    assert [t.task_spec.bpmn_id for t in wf.stuck_tasks()] == ["handle"]
    # Nothing ready, nothing in error: the snapshot names the stuck element,
    # and a save puts the case in error there rather than "waiting".
    assert wf.snapshot().stuck == ["handle"]
    Case.objects.filter(pk=case.pk).update(state=wf.serialize())

    case = services.case_retry(actor=people["admin"], case_id=case.pk)
    case.refresh_from_db()
    assert case.status == CaseStatus.ERROR  # the same data fails the same way
    assert case.error_element == "handle"
    assert case.severity == "critical"


def test_the_reporter_never_sees_the_error_only_that_it_is_being_handled(
    processes, units, people, client
):
    case = services.case_start(process_id="stale_output", title="Stale", unit=units["ivt"],
                               data={}, reporter=people["reporter"])
    enter = Task.objects.get(case=case, bpmn_id="enter", state=TaskState.READY)
    services.task_complete(actor=people["coordinator"], task_id=enter.pk, data={"note": "stale"})
    services.case_retry(actor=people["admin"], case_id=case.pk)
    case.refresh_from_db()
    assert case.status == CaseStatus.ERROR
    client.cookies["django_language"] = "en"
    client.force_login(people["reporter"])
    for url in (reverse("cases:detail", args=[case.reference]), reverse("cases:mine")):
        html = client.get(url).content.decode()
        assert "Being handled" in html
        assert "Error" not in html and "badge--error" not in html and "output must" not in html
