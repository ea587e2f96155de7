"""Concurrent requests on PostgreSQL: the case row lock lets exactly one of
two simultaneous claims (or completions) of a task win, and the loser gets a
clear error instead of a corrupted task mirror.

Real threads with their own database connections, released together by a
barrier. SQLite serialises writers on the whole file, so these run only on
PostgreSQL (``DATABASE_URL=postgres://...``).
"""

import threading

import pytest
from django.db import connection, transaction

from cases import services
from cases.exceptions import ApplicationError, TaskAlreadyClaimed, TaskNotAvailable
from cases.models import Case, CaseEvent, EventKind, Task, TaskState
from cases.services.persistence import lock_case
from incidents.services import incident_report_submit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def postgres_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")


def race(*calls, timeout=30):
    """Run the calls in threads released at the same moment; return each
    call's result or the ApplicationError it raised, in call order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=timeout)
            results[index] = call()
        except ApplicationError as exc:
            results[index] = exc
        except Exception as exc:  # surfaced by the assertions below
            results[index] = exc
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return results


@pytest.fixture
def triage(definitions, people, report_data):
    case = incident_report_submit(reporter=people["reporter"], data=report_data)
    return Task.objects.get(case=case, bpmn_id="triage", state=TaskState.READY)


def test_concurrent_claims_exactly_one_wins(triage, people):
    """Two coordinators claim the same task at the same moment: one gets it,
    the other TaskAlreadyClaimed; one assignee, one CLAIMED event."""
    first, second = people["coordinator"], people["coordinator2"]
    results = race(
        lambda: services.task_claim(actor=first, task_id=triage.pk),
        lambda: services.task_claim(actor=second, task_id=triage.pk),
    )
    winners = [r for r in results if isinstance(r, Task)]
    losers = [r for r in results if not isinstance(r, Task)]
    assert len(winners) == 1, results
    assert len(losers) == 1 and isinstance(losers[0], TaskAlreadyClaimed), results

    triage.refresh_from_db()
    assert triage.assignee_id == winners[0].assignee_id
    assert triage.assignee in (first, second)
    claims = CaseEvent.objects.filter(case=triage.case_id, kind=EventKind.CLAIMED)
    assert [(e.actor_id, e.task_id) for e in claims] == [(triage.assignee_id, triage.pk)]


def test_concurrent_completions_exactly_one_succeeds(triage, people):
    """Two coordinators submit the same open task at the same moment: one
    completes it, the other gets TaskNotAvailable, and the case moves on
    exactly once (one next task, one completion event)."""
    first, second = people["coordinator"], people["coordinator2"]
    data = {"triage_decision": "accept", "severity": "serious"}
    results = race(
        lambda: services.task_complete(actor=first, task_id=triage.pk, data=dict(data)),
        lambda: services.task_complete(actor=second, task_id=triage.pk, data=dict(data)),
    )
    winners = [r for r in results if isinstance(r, Task)]
    losers = [r for r in results if not isinstance(r, Task)]
    assert len(winners) == 1, results
    assert len(losers) == 1 and isinstance(losers[0], TaskNotAvailable), results

    triage.refresh_from_db()
    assert triage.state == TaskState.COMPLETED
    assert triage.completed_by_id == winners[0].completed_by_id
    case = triage.case
    assert list(Task.objects.filter(case=case, state=TaskState.READY)
                .values_list("bpmn_id", flat=True)) == ["plan_measures"]
    assert CaseEvent.objects.filter(case=case, kind=EventKind.COMPLETED).count() == 1


def test_working_on_one_case_does_not_block_another_case_of_the_same_process(
    definitions, people, report_data
):
    """The case lock is the case row only: while one transaction holds case A,
    case B of the same process definition can be locked at once (the joined
    definition row is not locked)."""
    case_a = incident_report_submit(reporter=people["reporter"], data=report_data)
    case_b = incident_report_submit(reporter=people["reporter"], data=report_data)
    assert case_a.definition_id == case_b.definition_id
    holding = threading.Event()
    done = threading.Event()

    def hold_a():
        with transaction.atomic():
            lock_case(case_a.pk)
            holding.set()
            done.wait(timeout=15)
        return "held"

    def lock_b():
        assert holding.wait(timeout=15)
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '3s'")
                return lock_case(case_b.pk)
        finally:
            done.set()

    results = race(hold_a, lock_b)
    assert results[0] == "held"
    assert isinstance(results[1], Case) and results[1].pk == case_b.pk, results
