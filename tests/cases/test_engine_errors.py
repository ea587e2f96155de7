"""Engine errors put the case in error; an HSE admin retries it after the fix.

Fixture processes: ``flaky.bpmn`` (prepare → call_record → call_flaky →
review), ``flaky_parallel.bpmn`` (side_work in parallel with call_flaky) and
``postscript.bpmn`` (a user task whose postScript fails on the note "boom").
The operations they call are registered here: ``test.record`` always succeeds,
``test.flaky`` raises until the test flips ``service.fixed``. Each call writes
a Unit row first, so the tests can see which writes survived.
"""

from dataclasses import dataclass

import pytest

from cases import operations, selectors, services
from cases.exceptions import CaseNotRetryable, NotAllowed
from cases.models import CaseEvent, CaseStatus, EventKind, Task, TaskState
from org.models import Unit
from tests.fixtures.bpmn import install_processes

pytestmark = pytest.mark.django_db


@dataclass
class FlakyService:
    fixed: bool = False
    calls: int = 0


_service = FlakyService()


@operations.register("test.record")
def record(*, case, label: str) -> dict:
    """Succeeds and leaves a trace (a Unit row) in the database."""
    Unit.objects.create(code=f"recorded-{case.pk}-{Unit.objects.count()}", name=label)
    return {"recorded": True}


@operations.register("test.flaky")
def flaky(*, case, label: str) -> dict:
    """Writes a row, then fails while the (pretend) remote service is down."""
    _service.calls += 1
    Unit.objects.create(code=f"flaky-attempt-{_service.calls}", name=label)
    if not _service.fixed:
        raise ConnectionError("remote service unavailable")
    return {"ok": True, "attempt": _service.calls}


@pytest.fixture
def service():
    _service.fixed, _service.calls = False, 0
    return _service


@pytest.fixture
def processes(tmp_path, db):
    return install_processes(tmp_path, "flaky.bpmn", "flaky_parallel.bpmn", "postscript.bpmn")


def open_task(case, bpmn_id):
    return Task.objects.get(case=case, bpmn_id=bpmn_id, state=TaskState.READY)


@pytest.fixture
def failed_case(processes, service, people, units):
    """A flaky case whose 'prepare' step was completed and whose service call failed."""
    case = services.case_start(process_id="flaky", title="Flaky", data={}, unit=units["ivt"])
    prepare = open_task(case, "prepare")
    services.task_complete(actor=people["coordinator"], task_id=prepare.pk,
                           data={"note": "first try"})
    case.refresh_from_db()
    return case


def test_failing_service_task_puts_case_in_error(failed_case, people, service):
    """The case goes to error at the service task's BPMN id, with the message,
    an ERROR event, and stays visible; the completed step stays completed and
    no later task appeared."""
    case = failed_case
    assert case.status == CaseStatus.ERROR
    assert case.error_element == "call_flaky"
    assert "ConnectionError" in case.error_message
    assert "remote service unavailable" in case.error_message
    event = CaseEvent.objects.get(case=case, kind=EventKind.ERROR)
    assert event.data == {"element": "call_flaky", "message": case.error_message}

    assert case in selectors.case_list_in_error()
    assert case in selectors.case_list_visible(user=people["coordinator"])
    assert case in selectors.case_list_visible(user=people["admin"])

    rows = {t.bpmn_id: t.state for t in Task.objects.filter(case=case)}
    assert rows == {"prepare": TaskState.COMPLETED}
    assert not selectors.case_open_tasks(case=case).exists()
    assert service.calls == 1


def test_failing_operation_write_is_rolled_back_but_earlier_steps_are_kept(failed_case):
    """The failing operation's own write is undone (savepoint), while the write
    of the operation that succeeded before it in the same step stays: the
    workflow records that step as done and will not run it again."""
    assert not Unit.objects.filter(code="flaky-attempt-1").exists()
    assert Unit.objects.filter(code__startswith=f"recorded-{failed_case.pk}-").count() == 1


def test_retry_after_fix_continues_to_next_user_task(failed_case, people, service):
    """After the cause is fixed, an HSE admin's retry runs the failed service
    task again (only it) and the case moves on to the next user task."""
    service.fixed = True
    case = services.case_retry(actor=people["admin"], case_id=failed_case.pk)

    case.refresh_from_db()
    assert case.status == CaseStatus.RUNNING
    assert case.error_element == "" and case.error_message == ""
    assert open_task(case, "review").candidate_group.name == "hse_coordinator"
    assert CaseEvent.objects.filter(case=case, kind=EventKind.RETRIED,
                                    actor=people["admin"]).exists()
    assert service.calls == 2
    assert Unit.objects.filter(code="flaky-attempt-2").exists()
    # The earlier, successful operation was not repeated.
    assert Unit.objects.filter(code__startswith=f"recorded-{case.pk}-").count() == 1
    assert case not in selectors.case_list_in_error()


def test_retry_while_still_broken_keeps_case_in_error(failed_case, people, service):
    """A retry before the fix fails the same way and records a second error."""
    case = services.case_retry(actor=people["admin"], case_id=failed_case.pk)
    case.refresh_from_db()
    assert case.status == CaseStatus.ERROR
    assert case.error_element == "call_flaky"
    assert CaseEvent.objects.filter(case=case, kind=EventKind.ERROR).count() == 2
    assert service.calls == 2


def test_only_hse_admin_may_retry(failed_case, people, service):
    """A coordinator (or a superuser without the hse_admin role) may not retry."""
    service.fixed = True
    with pytest.raises(NotAllowed):
        services.case_retry(actor=people["coordinator"], case_id=failed_case.pk)
    failed_case.refresh_from_db()
    assert failed_case.status == CaseStatus.ERROR
    assert service.calls == 1


def test_retry_of_case_not_in_error_is_refused(processes, people, units):
    """Only a case in error can be retried."""
    case = services.case_start(process_id="flaky", title="Fine", data={}, unit=units["ivt"])
    with pytest.raises(CaseNotRetryable):
        services.case_retry(actor=people["admin"], case_id=case.pk)


def test_error_beside_an_open_user_task_keeps_the_task_open_and_the_case_in_error(
    processes, service, people, units
):
    """When a parallel branch fails, the other branch's user task is mirrored
    as an open Task row; completing it does not hide the error, and the retry
    after the fix joins both branches."""
    case = services.case_start(process_id="flaky_parallel", title="Parallel", data={},
                               unit=units["ivt"])
    case.refresh_from_db()
    assert case.status == CaseStatus.ERROR
    assert case.error_element == "call_flaky"
    side_work = open_task(case, "side_work")

    services.task_complete(actor=people["coordinator"], task_id=side_work.pk,
                           data={"note": "done meanwhile"})
    case.refresh_from_db()
    assert case.status == CaseStatus.ERROR
    assert case.error_element == "call_flaky"
    assert case in selectors.case_list_in_error()

    service.fixed = True
    services.case_retry(actor=people["admin"], case_id=case.pk)
    case.refresh_from_db()
    assert case.status == CaseStatus.RUNNING
    assert open_task(case, "review")


def test_retry_of_a_user_task_that_failed_on_completion_reopens_it(processes, people, units):
    """A user task whose postScript fails puts the case in error at that task;
    the retry opens the same task (its row) again for a corrected submission."""
    coordinator = people["coordinator"]
    case = services.case_start(process_id="postscript", title="Note", data={},
                               unit=units["ivt"])
    enter = open_task(case, "enter")
    services.task_complete(actor=coordinator, task_id=enter.pk, data={"note": "boom"})
    case.refresh_from_db()
    assert case.status == CaseStatus.ERROR
    assert case.error_element == "enter"
    assert "ZeroDivisionError" in case.error_message

    services.case_retry(actor=people["admin"], case_id=case.pk)
    case.refresh_from_db()
    assert case.status == CaseStatus.RUNNING
    reopened = open_task(case, "enter")
    assert reopened.pk == enter.pk
    assert reopened.completed_by is None and reopened.assignee == coordinator

    services.task_complete(actor=coordinator, task_id=enter.pk, data={"note": "fine"})
    assert open_task(case, "review")
