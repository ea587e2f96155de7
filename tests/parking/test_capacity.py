"""A zone is never overfilled, even when officers grant at the same moment.

``Zone.occupied`` is a counter changed only with the zone row locked
(``select_for_update``) inside the step that makes the decision; a check
constraint refuses any value above the capacity. The race tests use real
threads with their own PostgreSQL connections, released by a barrier (SQLite
serialises all writers, so they run on PostgreSQL only).
"""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from parking.models import ApplicationStatus, Decision, Permit, PermitStatus, Zone
from tests.cases.test_concurrency import race
from tests.conftest import make_user
from tests.parking.conftest import ready


@pytest.mark.django_db
def test_database_refuses_more_spots_in_use_than_the_capacity(zones):
    zone = zones["b"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Zone.objects.filter(pk=zone.pk).update(occupied=F("capacity") + 1)


def allocations(apply, to_allocation, count, zone):
    tasks = []
    for i in range(count):
        app = apply(make_user(f"applicant{i}"), zone=zone)
        tasks.append(to_allocation(app))
    return tasks


@pytest.fixture
def postgres_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_grant_the_last_spot_at_the_same_moment(
    postgres_only, apply, to_allocation, staff, zones
):
    """Kalvskinnet has one spot. Two officers grant two applications at the
    same moment: one permit, the other application waitlisted (its letter
    says the zone was full), and the counter matches the permits."""
    from cases import services

    first, second = allocations(apply, to_allocation, 2, "kalvskinnet")
    results = race(
        lambda: services.task_complete(actor=staff["officer"], task_id=first.pk,
                                       data={"allocation_decision": "grant"}),
        lambda: services.task_complete(actor=staff["officer2"], task_id=second.pk,
                                       data={"allocation_decision": "grant"}),
    )
    assert all(not isinstance(r, Exception) for r in results), results
    zone = Zone.objects.get(code="kalvskinnet")
    assert zone.occupied == 1 == zone.capacity
    assert Permit.objects.filter(zone=zone, status=PermitStatus.ACTIVE).count() == 1
    outcomes = sorted(Decision.objects.filter(zone=zone).values_list("outcome", flat=True))
    assert outcomes == ["granted", "waitlisted"]
    loser = Decision.objects.get(zone=zone, outcome="waitlisted")
    assert loser.requested_grant and loser.rank == 1
    assert loser.application.status == ApplicationStatus.WAITLISTED
    # Without an e-mail notice the appeal period starts when the applicant reads it.
    from parking.services.applications import decision_delivered

    decision_delivered(reader=loser.application.applicant, decision_id=loser.pk)
    assert ready(loser.case, "appeal")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_six_simultaneous_grants_for_three_spots(
    postgres_only, apply, to_allocation, staff, zones
):
    from cases import services

    zone = zones["a"]
    zone.capacity = 3
    zone.save()
    tasks = allocations(apply, to_allocation, 6, "gloshaugen-a")
    officers = [staff["officer"], staff["officer2"]]
    results = race(*[
        (lambda task=task, officer=officers[i % 2]: services.task_complete(
            actor=officer, task_id=task.pk, data={"allocation_decision": "grant"}))
        for i, task in enumerate(tasks)
    ])
    assert all(not isinstance(r, Exception) for r in results), results
    zone.refresh_from_db()
    assert zone.occupied == 3
    assert Permit.objects.filter(zone=zone, status=PermitStatus.ACTIVE).count() == 3
    assert Decision.objects.filter(zone=zone, outcome="waitlisted").count() == 3
    ranks = sorted(Decision.objects.filter(zone=zone, outcome="waitlisted")
                   .values_list("rank", flat=True))
    assert ranks[0] == 1
