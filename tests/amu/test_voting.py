"""Only voting members vote; the chair's vote breaks a tie; a member's vote
is refused with a clear reason when it cannot count."""

import pytest
from django.conf import settings

from amu.exceptions import (
    NotAMember,
    NotAVotingMember,
    NotSecretary,
    TieWithoutChair,
    VotingClosed,
)
from amu.models import Outcome, Vote
from amu.services.decisions import agenda_item_decide, vote_cast, voting_open
from amu.services.meetings import agenda_item_add, agenda_publish
from amu.services.submission import amu_case_submit

from .conftest import accept, attend

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(world, submission):
    amu_case = accept(world, amu_case_submit(actor=world.submitter, data=submission))
    meeting = world.meetings["amu"]
    item = agenda_item_add(actor=world.secretary, meeting=meeting, amu_case=amu_case)
    agenda_publish(actor=world.secretary, meeting=meeting)
    attend(world, meeting)
    return voting_open(actor=world.secretary, item=item)


@pytest.mark.parametrize("name", ["bht", "student", "observer", "secretary"])
def test_a_non_voting_members_vote_is_refused(world, item, name):
    user = world.secretary if name == "secretary" else world.users[name]
    with pytest.raises(NotAVotingMember) as refused:
        vote_cast(actor=user, item=item, choice="for")
    assert str(refused.value.message) == (
        "You sit on AMU without a vote: only voting members vote."
    )
    assert not Vote.objects.exists()


def test_the_secretary_cannot_record_a_vote_for_a_non_voting_member(world, item):
    with pytest.raises(NotAVotingMember) as refused:
        vote_cast(actor=world.secretary, item=item, choice="for", member=world.members["bht"])
    assert "Bht sits on AMU without a vote" in str(refused.value.message)


def test_non_members_and_members_of_other_bodies_cannot_vote(world, item):
    with pytest.raises(NotAMember):
        vote_cast(actor=world.outsider, item=item, choice="for")
    with pytest.raises(NotAMember):
        vote_cast(actor=world.users["bchair"], item=item, choice="for")  # byggarm only


def test_only_the_secretary_records_votes_for_others(world, item):
    with pytest.raises(NotSecretary):
        vote_cast(actor=world.users["chair"], item=item, choice="for",
                  member=world.members["emp2"])


def test_members_vote_only_while_voting_is_open(world, item):
    voting_open(actor=world.secretary, item=item, is_open=False)
    with pytest.raises(VotingClosed):
        vote_cast(actor=world.users["er1"], item=item, choice="for")


def test_a_member_may_change_their_vote_until_the_decision(world, item):
    vote_cast(actor=world.users["er1"], item=item, choice="for")
    vote_cast(actor=world.users["er1"], item=item, choice="against")
    assert list(Vote.objects.values_list("choice", flat=True)) == ["against"]


def test_a_tie_is_broken_by_the_chair(world, item):
    vote_cast(actor=world.users["chair"], item=item, choice="against")
    vote_cast(actor=world.users["emp2"], item=item, choice="against")
    vote_cast(actor=world.users["er1"], item=item, choice="for")
    vote_cast(actor=world.users["er2"], item=item, choice="for")
    item = agenda_item_decide(actor=world.secretary, item=item, method="vote",
                              decision_text="The proposal falls.",
                              minority_view="The employer side wanted the measurement.")
    assert item.outcome == Outcome.REJECTED
    assert item.casting_vote
    assert (item.votes_for, item.votes_against) == (2, 2)


def test_a_tie_without_the_chairs_vote_is_not_decided(world, item):
    vote_cast(actor=world.users["chair"], item=item, choice="abstain")
    vote_cast(actor=world.users["emp2"], item=item, choice="against")
    vote_cast(actor=world.users["er1"], item=item, choice="for")
    with pytest.raises(TieWithoutChair):
        agenda_item_decide(actor=world.secretary, item=item, method="vote",
                           decision_text="?", minority_view="?")
    item.refresh_from_db()
    assert not item.decided


def test_votes_recorded_by_the_secretary_count_like_the_members_own(world, item):
    for name, choice in (("chair", "for"), ("emp2", "for"), ("er1", "against"),
                         ("er2", "abstain")):
        vote_cast(actor=world.secretary, item=item, choice=choice, member=world.members[name])
    item = agenda_item_decide(actor=world.secretary, item=item, method="vote",
                              decision_text="Adopted.", minority_view="Against it.")
    assert (item.outcome, item.votes_for, item.votes_against, item.votes_abstain) == (
        Outcome.ADOPTED, 2, 1, 1)


def test_the_vote_page_refuses_a_non_voting_member_with_the_reason(world, item, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(world.users["bht"])
    page = client.get(f"/amu/moter/{item.meeting_id}/sak/{item.pk}/")
    assert b"without a vote: only voting members vote" in page.content
    assert b"Cast your vote" not in page.content
    response = client.post(f"/amu/moter/{item.meeting_id}/sak/{item.pk}/stem/",
                           {"vote-choice": "for"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "You sit on AMU without a vote: only voting members vote."]
    assert not Vote.objects.exists()

    client.force_login(world.users["er1"])
    client.post(f"/amu/moter/{item.meeting_id}/sak/{item.pk}/stem/", {"vote-choice": "for"})
    assert Vote.objects.get().member == world.members["er1"]
