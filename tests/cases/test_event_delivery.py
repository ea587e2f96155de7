"""Case events reach subscribers once per committed service transaction, and
never when their writes were rolled back."""

import pytest

from cases import events, operations, services
from cases.models import EventKind, Task, TaskState
from cases.services.persistence import record_event
from tests.cases.test_engine_errors import _service  # noqa: F401  (registers test.flaky)
from tests.fixtures.bpmn import install_processes

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered():
    batches = []

    def subscriber(batch):
        batches.append([(e.kind, e.data.get("note")) for e in batch])

    events.subscribe(subscriber)
    yield batches
    events._subscribers.remove(subscriber)


def record_with_event(*, case, label: str) -> dict:
    """Like the engine-error tests' test.record, and also records an event."""
    record_event(case, EventKind.STATUS, data={"note": f"recorded {label}"})
    return {"recorded": True}


def test_one_batch_per_committed_transaction(
    tmp_path, people, units, delivered, django_capture_on_commit_callbacks
):
    install_processes(tmp_path, "flaky.bpmn")
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_start(process_id="flaky", title="F", data={}, unit=units["ivt"])
    assert len(delivered) == 1
    assert [kind for kind, _ in delivered[0]][:2] == [EventKind.STARTED, EventKind.TASK_READY]

    prepare = Task.objects.get(case=case, bpmn_id="prepare", state=TaskState.READY)
    _service.fixed = False
    with django_capture_on_commit_callbacks(execute=True):
        services.task_complete(actor=people["coordinator"], task_id=prepare.pk,
                               data={"note": "x"})
    kinds = [kind for kind, _ in delivered[1]]
    assert EventKind.COMPLETED in kinds and EventKind.ERROR in kinds
    assert len(delivered) == 2


def test_events_of_a_failed_operation_are_not_delivered(
    tmp_path, people, units, delivered, django_capture_on_commit_callbacks
):
    @operations.register("test.flaky")
    def flaky_with_event(*, case, label: str) -> dict:
        record_event(case, EventKind.STATUS, data={"note": "from the failed operation"})
        raise ConnectionError("down")

    operations.register("test.record")(record_with_event)
    try:
        install_processes(tmp_path, "flaky.bpmn")
        case = services.case_start(process_id="flaky", title="F", data={}, unit=units["ivt"])
        prepare = Task.objects.get(case=case, bpmn_id="prepare", state=TaskState.READY)
        with django_capture_on_commit_callbacks(execute=True):
            services.task_complete(actor=people["coordinator"], task_id=prepare.pk,
                                   data={"note": "x"})
        notes = [note for batch in delivered for _, note in batch]
        assert "from the failed operation" not in notes
        assert any(note and note.startswith("recorded") for note in notes)
        assert not case.events.filter(data__note="from the failed operation").exists()
    finally:
        from tests.cases import test_engine_errors

        operations.register("test.flaky")(test_engine_errors.flaky)
        operations.register("test.record")(test_engine_errors.record)


def test_nothing_is_delivered_for_a_rolled_back_transaction(
    tmp_path, units, delivered, django_capture_on_commit_callbacks
):
    from django.db import transaction

    install_processes(tmp_path, "flaky.bpmn")
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.case_start(process_id="flaky", title="F", data={}, unit=units["ivt"])
            raise RuntimeError("the caller's transaction fails")
    assert delivered == []


def test_a_services_events_are_written_together_at_its_end(
    definitions, people, report_data
):
    """The events a step records (completed, new step) reach the database in
    one statement at the end of the service, in the order recorded."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.models import CaseEvent
    from incidents.services import incident_report_submit

    case = incident_report_submit(reporter=people["reporter"], data=report_data)
    triage = Task.objects.get(case=case, bpmn_id="triage")
    before = CaseEvent.objects.filter(case=case).count()
    with CaptureQueriesContext(connection) as queries:
        services.task_complete(actor=people["coordinator"], task_id=triage.pk,
                               data={"triage_decision": "accept", "severity": "serious"})
    event_inserts = [q for q in queries.captured_queries
                     if q["sql"].startswith('INSERT INTO "cases_caseevent"')]
    assert len(event_inserts) == 1
    written = list(CaseEvent.objects.filter(case=case).order_by("id")[before:])
    assert [e.kind for e in written] == [EventKind.COMPLETED, EventKind.TASK_READY]
    assert written[1].task.bpmn_id == "plan_measures"


def test_an_event_on_a_case_outside_a_service_is_written_at_once(definitions, people, report_data):
    from cases.models import CaseEvent
    from incidents.services import incident_report_submit

    case = incident_report_submit(reporter=people["reporter"], data=report_data)
    event = record_event(case, EventKind.STATUS, data={"note": "by hand"})
    assert event.pk is not None
    assert CaseEvent.objects.filter(pk=event.pk, data__note="by hand").exists()


@pytest.mark.django_db(transaction=True)
def test_a_service_keeps_no_case_after_it_returns(definitions, people, report_data):
    """The cases a service locked are dropped when it returns, also when the
    caller's transaction is a decorator-level atomic block (one Atomic object
    shared by every call: what is kept on it is kept forever)."""
    import gc
    import weakref

    from django.db import transaction

    from incidents.services import incident_report_submit

    @transaction.atomic
    def report():
        return incident_report_submit(reporter=people["reporter"], data=report_data)

    first = weakref.ref(report())
    report()
    gc.collect()
    assert first() is None
    assert events.service_cases() == []
