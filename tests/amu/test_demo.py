"""seed_amu_demo builds the AMU demo once, however often it runs."""

import pytest

from amu.demo import seed_amu_demo
from amu.models import AmuCase, Body, Meeting, MeetingStatus, Member

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent(definitions, people):
    users = seed_amu_demo(password="varde-demo")
    counts = (Body.objects.count(), Member.objects.count(), Meeting.objects.count(),
              AmuCase.objects.count())
    seed_amu_demo(password="varde-demo")
    assert (Body.objects.count(), Member.objects.count(), Meeting.objects.count(),
            AmuCase.objects.count()) == counts == (4, 14, 2, 2)
    assert users["amusekretaer"].groups.filter(name="amu_secretary").exists()
    assert users["amuleder"].check_password("varde-demo")
    chair = Member.objects.get(body__code="amu", chair=True)
    assert chair.user.username == "amuleder" and chair.side == "employee"
    assert people["admin"].__class__.objects.get(pk=people["admin"].pk).is_staff


def test_the_demo_holds_a_meeting_with_attendance_and_a_deputy(definitions, people, client):
    """The held meeting's minutes: who was present, the deputy voting for the
    absent member, the member stepping aside on his own case, the vote."""
    users = seed_amu_demo(password="varde-demo")
    held = Meeting.objects.get(body__code="amu", status=MeetingStatus.APPROVED)
    item = held.items.get()
    assert (item.outcome, item.votes_for, item.votes_against) == ("adopted", 2, 1)
    deputy_vote = item.votes.get(member__user__username="amuvara")
    assert deputy_vote.for_member.user.username == "amuarbeidsgiver2"

    client.force_login(users["sintef"])  # an observer reads the minutes too
    page = client.get(f"/amu/moter/{held.pk}/protokoll/").content.decode()
    assert "Kari Lund" in page and "deputy voting for Geir Haug, who was absent" in page
    assert "Absent:" not in page  # the deputy filled Geir Haug's seat
    assert "4 of 4 voting members present; the quorum is 3." in page
    assert "Stepped aside:" in page and "Arne Bakke (submitted the case)" in page
    assert "(deputy for Geir Haug)" in page
