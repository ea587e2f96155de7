"""The near-parking demo data can be seeded twice without duplicates."""

import pytest

from parking.demo import seed_parking_demo
from parking.models import Application, ApplicationStatus, Permit, Zone

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent(definitions):
    users = seed_parking_demo(password="pw")
    assert users["parkering"].groups.filter(name="parking_officer").exists()
    assert users["fysio"].check_password("pw")
    assert Zone.objects.count() == 3
    assert Permit.objects.filter(holder=users["soker"], status="active").count() == 1
    waiting = Application.objects.get(applicant=users["soker2"])
    assert waiting.status == ApplicationStatus.WAITLISTED
    seed_parking_demo(password="other")
    assert Zone.objects.count() == 3 and Application.objects.count() == 3
    users["fysio"].refresh_from_db()
    assert users["fysio"].check_password("pw")
