"""Concurrent writes on PostgreSQL: a sick-leave service and an engine step
on the same case serialise on the case row (sickleave.services.locking), so
neither deadlocks and the process ends up consistent whoever wins."""

import threading
from datetime import date

import pytest
from django.db import connection

from cases import services as case_services
from cases.exceptions import ApplicationError, TaskNotAvailable
from cases.models import Case, CaseStatus
from sickleave import services
from tests.sickleave.conftest import PLAN, open_bpmn_ids, open_task

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def postgres_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")


def race(*calls, timeout=30):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=timeout)
            results[index] = call()
        except Exception as exc:  # ApplicationError or a deadlock, checked below
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return results


def register(sick, grade):
    return services.absence_register(actor=sick.leader, employee=sick.employee, unit=sick.ivt,
                                     first_day=date.today(), grade=grade)


def test_change_to_full_racing_the_decision_still_makes_meeting_1_mandatory(sick):
    """The leader records "not expedient" while HR registers full absence:
    whichever runs first, the invitation to meeting 1 ends up waiting."""
    followup = register(sick, grade=50)
    decide = open_task(followup.case, "decide_dm1").pk
    results = race(
        lambda: case_services.task_complete(actor=sick.leader, task_id=decide,
                                            data={"dm1_decision": "not_expedient"}),
        lambda: services.absence_grade_change(actor=sick.hr, followup=followup, grade=100,
                                              changed_on=date.today()),
    )
    assert all(r is None or not isinstance(r, Exception) or isinstance(r, TaskNotAvailable)
               for r in results), results
    case = Case.objects.get(pk=followup.case_id)
    assert case.status == CaseStatus.RUNNING
    assert "invite_dm1" in open_bpmn_ids(case)


def test_plan_saved_racing_the_exemption(sick):
    """A plan saved while another leader records "obviously unnecessary":
    one of the two completes the plan step, never both, never a deadlock."""
    followup = register(sick, grade=100)
    make_plan = open_task(followup.case, "make_plan").pk
    results = race(
        lambda: services.plan_version_create(actor=sick.leader, followup=followup, data=PLAN),
        lambda: case_services.task_complete(
            actor=sick.leader, task_id=make_plan,
            data={"plan_exemption_reason": "returning_shortly"}),
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert all(isinstance(e, ApplicationError) for e in errors), results
    case = Case.objects.get(pk=followup.case_id)
    assert case.status == CaseStatus.RUNNING
    assert followup.plan_versions.count() == 1
    assert "make_plan" not in open_bpmn_ids(case)
