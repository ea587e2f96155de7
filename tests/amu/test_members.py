"""Members: sides, votes, observers, the chair alternating between the
sides, and the member group kept in step with current seats."""

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from amu.models import Member, Side
from amu.roles import AMU_MEMBER
from amu.services.members import member_save
from tests.conftest import make_user

from .conftest import TERM_START

pytestmark = pytest.mark.django_db


def _member(world, **fields):
    if "user" not in fields:
        fields["user"] = make_user(f"new{User.objects.count()}")
    defaults = {"body": world.samu_alesund, "side": Side.EMPLOYEE, "term_start": TERM_START}
    return Member(**{**defaults, **fields})


@pytest.mark.parametrize(("fields", "field"), [
    ({"observer": True, "voting": True}, "voting"),
    ({"secretary": True, "voting": True}, "voting"),
    ({"side": Side.NONE, "voting": True}, "side"),
    ({"chair": True, "voting": False}, "chair"),
    ({"term_end": date(2024, 1, 1)}, "term_end"),
])
def test_invalid_seats_are_refused(world, fields, field):
    with pytest.raises(ValidationError) as refused:
        member_save(member=_member(world, **fields))
    assert field in refused.value.message_dict


def test_one_chair_at_a_time(world):
    with pytest.raises(ValidationError) as refused:
        member_save(member=_member(world, body=world.amu, chair=True))
    assert "chair" in refused.value.message_dict


def test_the_chair_alternates_between_the_sides(world):
    chair = world.members["chair"]  # employee side
    chair.term_end = date(2026, 12, 31)
    member_save(member=chair)
    with pytest.raises(ValidationError) as refused:
        member_save(member=_member(world, body=world.amu, chair=True, side=Side.EMPLOYEE,
                                   term_start=date(2027, 1, 1)))
    assert "previous chair was from the employee side" in str(refused.value)
    member_save(member=_member(world, body=world.amu, chair=True, side=Side.EMPLOYER,
                               term_start=date(2027, 1, 1)))


def test_the_member_group_follows_current_seats(world):
    user = world.users["student"]
    assert user.groups.filter(name=AMU_MEMBER).exists()
    member = world.members["student"]
    member.term_end = date(2025, 6, 30)
    member_save(member=member)
    assert not user.groups.filter(name=AMU_MEMBER).exists()
