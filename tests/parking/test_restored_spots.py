"""A permit given back above the zone's capacity after a revocation was
reversed on appeal (fvl. § 35) is absorbed by the next spot freed, which is
then not offered to anyone; a zone is never overfilled otherwise."""

import pytest
from django.db import transaction

from parking.models import Zone
from parking.services.zones import lock_zones, release_spot, restore_spot, take_spot

pytestmark = pytest.mark.django_db


def _locked(code):
    return lock_zones(Zone.objects.get(code=code).pk)[Zone.objects.get(code=code).pk]


def test_a_restored_spot_is_absorbed_by_the_next_spot_freed(zones):
    with transaction.atomic():
        zone = _locked("kalvskinnet")
        while take_spot(zone):
            pass
        full = zone.occupied
        assert full == zone.capacity and zone.free == 0
        restore_spot(zone)
    zone.refresh_from_db()
    assert zone.occupied == full + 1 and zone.restored == 1 and zone.free == 0
    with transaction.atomic():
        zone = _locked("kalvskinnet")
        assert not take_spot(zone)  # still full: no new grant
        release_spot(zone)
    zone.refresh_from_db()
    assert zone.occupied == full and zone.restored == 0 and zone.free == 0
    with transaction.atomic():
        zone = _locked("kalvskinnet")
        release_spot(zone)
    zone.refresh_from_db()
    assert zone.free == 1


def test_restore_takes_a_free_spot_when_there_is_one(zones):
    with transaction.atomic():
        zone = _locked("kalvskinnet")
        before = zone.occupied
        restore_spot(zone)
    zone.refresh_from_db()
    assert zone.occupied == before + 1 and zone.restored == 0
