"""Members: sides, votes, observers, the chair alternating between the
sides, and the member group kept in step with current seats."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from amu.composition import composition_problems
from amu.models import Member, Side
from amu.roles import AMU_MEMBER
from amu.services.members import member_save
from tests.conftest import make_user

from .conftest import TERM_START, chair_term

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
    chair = world.members["chair"]  # employee side, one year
    next_start = chair.term_end + timedelta(days=1)
    next_end = next_start + timedelta(days=364)
    with pytest.raises(ValidationError) as refused:
        member_save(member=_member(world, body=world.amu, chair=True, side=Side.EMPLOYEE,
                                   term_start=next_start, term_end=next_end))
    assert "previous chair was from the employee side" in str(refused.value)
    member_save(member=_member(world, body=world.amu, chair=True, side=Side.EMPLOYER,
                               term_start=next_start, term_end=next_end))


def test_the_chair_serves_one_year_at_a_time(world):
    chair = world.members["chair"]
    chair.term_end = chair.term_start + timedelta(days=366)
    with pytest.raises(ValidationError) as refused:
        member_save(member=chair)
    assert "one year at a time (forskrift § 3-12)" in str(refused.value)
    chair.term_end = None
    with pytest.raises(ValidationError):
        member_save(member=chair)
    chair.term_end = chair.term_start + timedelta(days=364)
    member_save(member=chair)


def test_the_deputy_chair_is_from_the_other_side(world):
    start, end = chair_term()
    with pytest.raises(ValidationError) as refused:
        member_save(member=_member(world, body=world.amu, side=Side.EMPLOYEE,
                                   deputy_chair=True, term_start=start, term_end=end))
    assert "other side than the chair" in str(refused.value)
    with pytest.raises(ValidationError) as refused:  # er1 holds a seat already
        member_save(member=_member(world, body=world.amu, user=world.users["er1"],
                                   side=Side.EMPLOYER, deputy_chair=True,
                                   term_start=start, term_end=end))
    assert "already has a seat on this body" in str(refused.value)
    member_save(member=_member(world, body=world.amu, side=Side.EMPLOYER, deputy_chair=True,
                               term_start=start, term_end=end))


def test_the_sides_have_equal_voting_seats(world):
    world.amu.seats_per_side = 2
    world.amu.save()
    with pytest.raises(ValidationError) as refused:
        member_save(member=_member(world, body=world.amu, side=Side.EMPLOYER))
    assert "already has its 2 voting seats" in str(refused.value)
    # A deputy fills in for a seat and is not a seat of its own.
    member_save(member=_member(world, body=world.amu, side=Side.EMPLOYER,
                               deputy_for=world.members["er1"]))


def test_a_deputy_stands_in_for_a_voting_member_of_the_same_side(world):
    with pytest.raises(ValidationError) as refused:
        member_save(member=_member(world, body=world.amu, side=Side.EMPLOYEE,
                                   deputy_for=world.members["er1"]))
    assert "same side" in str(refused.value)
    with pytest.raises(ValidationError):
        member_save(member=_member(world, body=world.amu, side=Side.NONE, voting=False,
                                   deputy_for=world.members["bht"]))


def test_composition_checks(world):
    day = world.meetings["amu"].date
    assert composition_problems(world.amu, day) == [
        "The chief safety representative is not a member.",
        "The body has no deputy chair from the other side than the chair.",
    ]
    emp2 = world.members["emp2"]
    emp2.function = "chief_safety_representative"
    member_save(member=emp2)
    er2 = world.members["er2"]  # from a member's seat to the deputy chair's year
    start, end = chair_term()
    er2.term_end = start - timedelta(days=1)
    member_save(member=er2)
    member_save(member=_member(world, body=world.amu, user=world.users["er2"],
                               side=Side.EMPLOYER, deputy_chair=True,
                               term_start=start, term_end=end))
    assert composition_problems(world.amu, day) == []
    member_save(member=_member(world, body=world.amu, side=Side.EMPLOYER))
    assert composition_problems(world.amu, day) == [
        "The sides are not equal: 3 voting seats for the employer, 2 for the employees."]


def test_the_member_group_follows_current_seats(world):
    user = world.users["student"]
    assert user.groups.filter(name=AMU_MEMBER).exists()
    member = world.members["student"]
    member.term_end = date(2025, 6, 30)
    member_save(member=member)
    assert not user.groups.filter(name=AMU_MEMBER).exists()
