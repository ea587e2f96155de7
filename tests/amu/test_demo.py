"""seed_amu_demo builds the AMU demo once, however often it runs."""

import pytest

from amu.demo import seed_amu_demo
from amu.models import AmuCase, Body, Meeting, Member

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent(definitions, people):
    users = seed_amu_demo(password="varde-demo")
    counts = (Body.objects.count(), Member.objects.count(), Meeting.objects.count(),
              AmuCase.objects.count())
    seed_amu_demo(password="varde-demo")
    assert (Body.objects.count(), Member.objects.count(), Meeting.objects.count(),
            AmuCase.objects.count()) == counts == (4, 13, 1, 1)
    assert users["amusekretaer"].groups.filter(name="amu_secretary").exists()
    assert users["amuleder"].check_password("varde-demo")
    chair = Member.objects.get(body__code="amu", chair=True)
    assert chair.user.username == "amuleder" and chair.side == "employee"
    assert people["admin"].__class__.objects.get(pk=people["admin"].pk).is_staff
