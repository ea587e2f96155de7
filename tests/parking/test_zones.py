"""Zones are edited by HSE administrators in the Django admin. New spots go
to the waiting list at once; the capacity cannot go below the spots in use."""

import pytest
from django.urls import reverse

from parking.models import ApplicationStatus, Offer, Zone
from tests.conftest import make_user
from tests.parking.conftest import complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def hse_admin(people):
    admin = people["admin"]
    admin.is_staff = True
    admin.save()
    return admin


def zone_post(zone, **changes):
    data = {"name": zone.name, "code": zone.code, "campus": zone.campus,
            "description": zone.description, "capacity": zone.capacity,
            "active": "on" if zone.active else ""}
    data.update(changes)
    return data


def test_hse_admin_adds_and_edits_zones(client, hse_admin, zones):
    client.force_login(hse_admin)
    assert client.get(reverse("admin:parking_zone_changelist")).status_code == 200
    response = client.post(reverse("admin:parking_zone_add"), {
        "name": "Dragvoll", "code": "dragvoll", "campus": "Dragvoll", "description": "",
        "capacity": 4, "active": "on"})
    assert response.status_code == 302
    assert Zone.objects.get(code="dragvoll").capacity == 4
    # Zones are closed, never deleted (permits and letters refer to them).
    zone = zones["a"]
    assert client.post(reverse("admin:parking_zone_delete", args=[zone.pk]),
                       {"post": "yes"}).status_code == 403


def test_ordinary_staff_cannot_edit_zones(client, people, staff):
    officer = staff["officer"]
    officer.is_staff = True
    officer.save()
    client.force_login(officer)
    assert client.get(reverse("admin:parking_zone_changelist")).status_code == 403


def test_more_spots_are_offered_to_the_waiting_list_at_once(
    client, hse_admin, apply, to_allocation, staff, zones
):
    zone = zones["k"]
    first = apply(make_user("first"), zone="kalvskinnet")
    complete(staff["officer"], to_allocation(first).case, "allocate",
             {"allocation_decision": "grant"})
    waiting = apply(make_user("waiting"), zone="kalvskinnet")
    complete(staff["officer"], to_allocation(waiting).case, "allocate",
             {"allocation_decision": "grant"})
    waiting.refresh_from_db()
    assert waiting.status == ApplicationStatus.WAITLISTED

    client.force_login(hse_admin)
    response = client.post(reverse("admin:parking_zone_change", args=[zone.pk]),
                           zone_post(zone, capacity=2))
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == ApplicationStatus.OFFERED
    assert Offer.objects.get(application=waiting).case is not None
    zone.refresh_from_db()
    assert (zone.capacity, zone.occupied) == (2, 2)

    response = client.post(reverse("admin:parking_zone_change", args=[zone.pk]),
                           zone_post(zone, capacity=1))
    assert response.status_code == 200
    assert "2 spots are in use" in response.content.decode()
    zone.refresh_from_db()
    assert zone.capacity == 2
