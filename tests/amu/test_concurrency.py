"""Concurrent requests on PostgreSQL: case numbers stay unique per body and
year when two meetings are built at once, and two simultaneous votes of the
same member leave one vote.

Real threads with their own database connections, released together by a
barrier (see tests/cases/test_concurrency.py).
"""

from datetime import timedelta

import pytest
from django.db import connection

from amu.models import AgendaItem, Meeting, Vote
from amu.services.decisions import vote_cast, voting_open
from amu.services.meetings import agenda_item_add, agenda_publish
from amu.services.submission import amu_case_submit
from tests.cases.test_concurrency import race

from .conftest import accept, attend

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def postgres_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")


def test_numbers_stay_unique_when_two_meetings_take_cases_at_once(world, submission):
    cases = [accept(world, amu_case_submit(actor=world.submitter,
                                           data={**submission, "title": f"Case {i}"}))
             for i in range(2)]
    first = world.meetings["amu"]
    second = Meeting.objects.create(body=world.amu, date=first.date + timedelta(days=7))
    results = race(
        lambda: agenda_item_add(actor=world.secretary, meeting=first, amu_case=cases[0]),
        lambda: agenda_item_add(actor=world.secretary, meeting=second, amu_case=cases[1]),
    )
    assert all(isinstance(r, AgendaItem) for r in results), results
    numbers = sorted(AgendaItem.objects.values_list("number__number", flat=True))
    assert numbers == [1, 2]


def test_simultaneous_votes_of_one_member_leave_one_vote(world, submission):
    amu_case = accept(world, amu_case_submit(actor=world.submitter, data=submission))
    meeting = world.meetings["amu"]
    item = agenda_item_add(actor=world.secretary, meeting=meeting, amu_case=amu_case)
    agenda_publish(actor=world.secretary, meeting=meeting)
    attend(world, meeting)
    voting_open(actor=world.secretary, item=item)
    member = world.users["er1"]
    results = race(
        lambda: vote_cast(actor=member, item=item, choice="for"),
        lambda: vote_cast(actor=member, item=item, choice="against"),
    )
    assert all(isinstance(r, Vote) for r in results), results
    assert Vote.objects.filter(item=item).count() == 1
