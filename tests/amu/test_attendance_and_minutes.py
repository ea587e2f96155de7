"""AMU's votes, presence and minutes as the regulations require (issue 26):
the minutes cannot contradict the vote; attendance comes first and only
members present vote; each side present and a quorum before anything is
decided; a deputy votes for an absent member; a party steps aside; a
confidential case is hidden from the observer; the employer's appeal to the
Labour Inspection Authority."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from amu.exceptions import (
    CannotDecide,
    InvalidInput,
    MinutesContradictVotes,
    NotPresent,
    SteppedAside,
)
from amu.models import (
    AgendaItem,
    DecisionMethod,
    EmployerAppeal,
    MeetingStatus,
    Outcome,
    Side,
    Vote,
)
from amu.services.decisions import agenda_item_decide, vote_cast, voting_open
from amu.services.meetings import (
    agenda_item_add,
    agenda_publish,
    meeting_close,
    minutes_approve,
)
from amu.services.submission import amu_case_submit
from documents.pdf import pdf_text
from notifications.models import Notification
from tests.conftest import make_user

from .conftest import accept, attend, chair_term, on_meeting_day, seat, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _item(world, submission, *, actor=None, documents=None):
    amu_case = accept(world, amu_case_submit(actor=actor or world.submitter, data=submission,
                                             documents=documents or {}))
    meeting = world.meetings["amu"]
    item = agenda_item_add(actor=world.secretary, meeting=meeting, amu_case=amu_case)
    agenda_publish(actor=world.secretary, meeting=meeting)
    return AgendaItem.objects.get(pk=item.pk)


@pytest.fixture
def item(world, submission):
    return _item(world, submission)


def _votes(world, item, **choices):
    for name, choice in choices.items():
        vote_cast(actor=world.users[name], item=item, choice=choice)


# The minutes cannot contradict the vote -------------------------------------

def test_a_vote_cannot_be_recorded_as_agreement(world, item):
    attend(world, item.meeting)
    voting_open(actor=world.secretary, item=item)
    _votes(world, item, chair="for", emp2="for", er1="for", er2="against")
    with pytest.raises(InvalidInput) as refused:
        agenda_item_decide(actor=world.secretary, item=item, method="consensus",
                           outcome=Outcome.ADOPTED, decision_text="Adopted by agreement.")
    assert "1 voted against: the case was not decided by agreement" in (
        refused.value.extra["errors"]["method"])
    item.refresh_from_db()
    assert not item.decided

    item = agenda_item_decide(actor=world.secretary, item=item, method="vote",
                              decision_text="Adopted.", minority_view="Too costly.")
    assert (item.method, item.outcome, item.votes_for, item.votes_against) == (
        DecisionMethod.VOTE, Outcome.ADOPTED, 3, 1)


def test_a_tie_the_chair_abstained_on_is_not_agreement(world, item):
    attend(world, item.meeting)
    voting_open(actor=world.secretary, item=item)
    _votes(world, item, chair="abstain", emp2="for", er1="against", er2="abstain")
    with pytest.raises(InvalidInput):
        agenda_item_decide(actor=world.secretary, item=item, method="consensus",
                           outcome=Outcome.ADOPTED, decision_text="Agreed.")


def test_agreement_is_possible_when_nobody_voted_against(world, item):
    attend(world, item.meeting)
    voting_open(actor=world.secretary, item=item)
    _votes(world, item, chair="for", emp2="for", er1="abstain")
    item = agenda_item_decide(actor=world.secretary, item=item, method="consensus",
                              outcome=Outcome.ADOPTED, decision_text="Agreed.")
    assert (item.method, item.votes_for, item.votes_abstain) == (DecisionMethod.CONSENSUS, 2, 1)


def test_the_chair_cannot_approve_minutes_that_contradict_the_votes(world, item, client):
    """Minutes from before the rule (changed in the database, as the old
    code allowed): "decided by agreement" above a vote of 3 to 1."""
    meeting = item.meeting
    attend(world, meeting)
    voting_open(actor=world.secretary, item=item)
    _votes(world, item, chair="for", emp2="for", er1="for", er2="against")
    agenda_item_decide(actor=world.secretary, item=item, method="vote",
                       decision_text="Adopted.", minority_view="Too costly.")
    meeting_close(actor=world.secretary, meeting=meeting)
    AgendaItem.objects.filter(pk=item.pk).update(method=DecisionMethod.CONSENSUS,
                                                 minority_view="")

    with pytest.raises(MinutesContradictVotes) as refused:
        minutes_approve(actor=world.users["chair"], meeting=meeting)
    assert refused.value.extra["problems"] == [
        f"{item.number.label}: recorded as decided by agreement, but 1 voted against; the "
        "outcome follows the vote."]
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD

    client.force_login(world.users["chair"])
    page = client.get(f"/amu/moter/{meeting.pk}/protokoll/").content.decode()
    assert "cannot be approved" in page and "recorded as decided by agreement" in page
    response = client.post(f"/amu/moter/{meeting.pk}/protokoll/godkjenn/", follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        f"{item.number.label}: recorded as decided by agreement, but 1 voted against; the "
        "outcome follows the vote."]
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD

    # An outcome the votes do not give is refused the same way.
    AgendaItem.objects.filter(pk=item.pk).update(method=DecisionMethod.VOTE,
                                                 outcome=Outcome.REJECTED,
                                                 minority_view="Too costly.")
    with pytest.raises(MinutesContradictVotes) as refused:
        minutes_approve(actor=world.users["chair"], meeting=meeting)
    assert "the minutes say “Not adopted”, but the votes give “Adopted”" in str(
        refused.value.message)

    AgendaItem.objects.filter(pk=item.pk).update(outcome=Outcome.ADOPTED)
    minutes_approve(actor=world.users["chair"], meeting=meeting)


def test_the_minority_view_cannot_be_removed_by_a_correction(world, item):
    from amu.services.decisions import agenda_item_revise

    attend(world, item.meeting)
    voting_open(actor=world.secretary, item=item)
    _votes(world, item, chair="for", emp2="for", er1="against")
    item = agenda_item_decide(actor=world.secretary, item=item, method="vote",
                              decision_text="Adopted.", minority_view="Too costly.")
    with pytest.raises(InvalidInput):
        agenda_item_revise(actor=world.secretary, item=item, decision_text="Adopted.",
                           majority_view="", minority_view="")


# Attendance, sides and quorum ----------------------------------------------

def test_absent_members_cannot_vote(world, item):
    attend(world, item.meeting, ["chair", "emp2", "er1"])
    voting_open(actor=world.secretary, item=item)
    with pytest.raises(NotPresent) as refused:
        vote_cast(actor=world.users["er2"], item=item, choice="for")
    assert str(refused.value.message) == (
        "You are not recorded as present: only members present vote.")
    with pytest.raises(NotPresent):
        vote_cast(actor=world.secretary, item=item, choice="for", member=world.members["er2"])
    assert not Vote.objects.exists()


def test_nothing_is_decided_before_attendance_is_recorded(world, item):
    on_meeting_day(item.meeting)
    with pytest.raises(CannotDecide) as refused:
        voting_open(actor=world.secretary, item=item)
    assert "Record who is present first" in str(refused.value.message)
    with pytest.raises(InvalidInput):
        meeting_close(actor=world.secretary, meeting=item.meeting)


def test_a_meeting_with_one_side_absent_cannot_decide(world, item, client):
    attend(world, item.meeting, ["er1", "er2", "bht"])
    with pytest.raises(CannotDecide) as refused:
        voting_open(actor=world.secretary, item=item)
    assert str(refused.value.message) == (
        "No voting member of the employee side is present: one side cannot decide alone. "
        "2 of 4 voting members are present; 3 must be before anything is decided.")
    with pytest.raises(CannotDecide):
        agenda_item_decide(actor=world.secretary, item=item, method="consensus",
                           outcome=Outcome.ADOPTED, decision_text="Adopted by the employer.")
    # Postponing is not deciding.
    item = agenda_item_decide(actor=world.secretary, item=item, outcome=Outcome.POSTPONED)
    assert item.outcome == Outcome.POSTPONED

    client.force_login(world.secretary)
    page = client.get(f"/amu/moter/{item.meeting_id}/").content.decode()
    assert "No voting member of the employee side is present" not in page  # all decided


def test_the_meeting_page_says_why_the_meeting_cannot_decide(world, item, client):
    attend(world, item.meeting, ["er1", "er2"])
    client.force_login(world.secretary)
    page = client.get(f"/amu/moter/{item.meeting_id}/sak/{item.pk}/").content.decode()
    assert "The meeting cannot decide yet:" in page
    assert "No voting member of the employee side is present" in page


def test_the_quorum_is_a_majority_of_the_voting_members_by_default(world, item):
    attend(world, item.meeting, ["chair", "er1"])  # both sides, but 2 of 4
    with pytest.raises(CannotDecide) as refused:
        voting_open(actor=world.secretary, item=item)
    assert "2 of 4 voting members are present; 3 must be" in str(refused.value.message)
    attend(world, item.meeting, ["chair", "er1", "er2"])
    voting_open(actor=world.secretary, item=item)


def test_the_quorum_can_be_set(world, item):
    world.amu.quorum = 4
    world.amu.save()
    attend(world, item.meeting, ["chair", "er1", "er2"])
    with pytest.raises(CannotDecide) as refused:
        voting_open(actor=world.secretary, item=item)
    assert "3 of 4 voting members are present; 4 must be" in str(refused.value.message)
    attend(world, item.meeting)
    voting_open(actor=world.secretary, item=item)


def test_who_voted_stays_recorded_as_present(world, item):
    attend(world, item.meeting)
    voting_open(actor=world.secretary, item=item)
    _votes(world, item, er2="for")
    with pytest.raises(InvalidInput) as refused:
        attend(world, item.meeting, ["chair", "emp2", "er1"])
    assert "Er2 has voted at this meeting" in str(refused.value.message)


def test_the_minutes_list_who_was_present(world, item, client):
    meeting = item.meeting
    attend(world, meeting, ["chair", "emp2", "er1", "bht"])
    agenda_item_decide(actor=world.secretary, item=item, method="consensus",
                       outcome=Outcome.ADOPTED, decision_text="Agreed.")
    meeting_close(actor=world.secretary, meeting=meeting)
    client.force_login(world.users["er1"])
    page = client.get(f"/amu/moter/{meeting.pk}/protokoll/").content.decode()
    assert "Chair – employee side, chair" in page
    assert "Bht, Occupational health service – neither side, without a vote" in page
    assert "<strong>Absent:</strong> Er2 (employer side)" in page
    assert "3 of 4 voting members present; the quorum is 3." in page


# Deputies, the deputy chair -------------------------------------------------

@pytest.fixture
def deputy(world):
    user = make_user("deputy", first_name="Deputy", email="deputy@example.org")
    world.users["deputy"] = user
    world.members["deputy"] = seat(world.amu, user, side=Side.EMPLOYER,
                                   deputy_for=world.members["er2"])
    return world.members["deputy"]


def test_a_deputy_votes_for_an_absent_member_and_is_minuted(world, item, deputy, client):
    meeting = item.meeting
    attend(world, meeting, ["chair", "emp2", "er1", "deputy"])
    voting_open(actor=world.secretary, item=item)
    _votes(world, item, chair="for", emp2="for", er1="against", deputy="against")
    vote = Vote.objects.get(member=deputy)
    assert vote.for_member == world.members["er2"]
    with pytest.raises(InvalidInput) as refused:  # er2 arrives after the deputy voted
        attend(world, meeting, ["chair", "emp2", "er1", "deputy", "er2"])
    assert "has voted in the member's place" in str(refused.value.message)

    item = agenda_item_decide(actor=world.secretary, item=item, method="vote",
                              decision_text="Adopted on the chair's casting vote.",
                              minority_view="The employer side wants to wait.")
    assert (item.outcome, item.casting_vote) == (Outcome.ADOPTED, True)
    meeting_close(actor=world.secretary, meeting=meeting)
    minutes_approve(actor=world.users["chair"], meeting=meeting)

    client.force_login(world.users["observer"])
    page = client.get(f"/amu/moter/{meeting.pk}/protokoll/").content.decode()
    assert "Deputy – employer side, deputy voting for Er2, who was absent" in page
    assert "Deputy (deputy for Er2)" in page
    assert "Absent:" not in page
    text = " ".join(pdf_text(client.get(f"/amu/moter/{meeting.pk}/protokoll.pdf").content)
                    .split())
    assert "deputy voting for Er2, who was absent" in text


def test_a_deputy_does_not_vote_when_the_member_is_present(world, item, deputy):
    attend(world, item.meeting, ["chair", "emp2", "er1", "er2", "deputy"])
    voting_open(actor=world.secretary, item=item)
    with pytest.raises(NotPresent) as refused:
        vote_cast(actor=world.users["deputy"], item=item, choice="for")
    assert str(refused.value.message) == "Er2 is present, so their deputy does not vote."


def test_the_deputy_chair_chairs_and_casts_the_deciding_vote_without_the_chair(world, item):
    from amu.services.meetings import chair_of

    start, _end = chair_term()
    world.members["er1"].term_end = start - timedelta(days=1)
    world.members["er1"].save()
    world.members["er1"] = seat(world.amu, world.users["er1"], side=Side.EMPLOYER,
                                deputy_chair=True)
    world.members["vice"] = seat(world.amu, make_user("vice", first_name="Vice"),
                                 side=Side.EMPLOYEE, deputy_for=world.members["chair"])
    world.users["vice"] = world.members["vice"].user
    attend(world, item.meeting, ["emp2", "er1", "er2", "vice"])
    assert chair_of(item.meeting) == world.members["er1"]
    voting_open(actor=world.secretary, item=item)
    _votes(world, item, emp2="for", vice="for", er1="against", er2="against")
    item = agenda_item_decide(actor=world.secretary, item=item, method="vote",
                              decision_text="Not adopted.", minority_view="Measure now.")
    assert (item.outcome, item.casting_vote) == (Outcome.REJECTED, True)


# Conflicts of interest ------------------------------------------------------

def test_a_member_who_submitted_the_case_steps_aside_and_is_minuted(world, submission, client):
    item = _item(world, submission, actor=world.users["emp2"])
    meeting = item.meeting
    attend(world, meeting)
    voting_open(actor=world.secretary, item=item)
    with pytest.raises(SteppedAside) as refused:
        vote_cast(actor=world.users["emp2"], item=item, choice="for")
    assert str(refused.value.message) == (
        "You step aside and do not vote on this case (submitted the case).")
    with pytest.raises(SteppedAside) as refused:
        vote_cast(actor=world.secretary, item=item, choice="for", member=world.members["emp2"])
    assert str(refused.value.message) == (
        "Emp2 steps aside and does not vote on this case (submitted the case).")
    _votes(world, item, chair="for", er1="for", er2="for")
    agenda_item_decide(actor=world.secretary, item=item, method="vote",
                       decision_text="Adopted.")
    meeting_close(actor=world.secretary, meeting=meeting)
    client.force_login(world.users["er1"])
    page = client.get(f"/amu/moter/{meeting.pk}/protokoll/").content.decode()
    assert "<strong>Stepped aside:</strong> Emp2 (submitted the case)" in page


def test_a_member_declares_a_conflict_and_their_vote_is_withdrawn(world, item, client):
    attend(world, item.meeting)
    voting_open(actor=world.secretary, item=item)
    _votes(world, item, er1="against")
    client.force_login(world.users["er1"])
    url = f"/amu/moter/{item.meeting_id}/sak/{item.pk}/"
    assert "Declare a conflict of interest" in client.get(url).content.decode()
    response = client.post(url + "inhabil/", {"conflict-reason": "My unit is the subject."},
                           follow=True)
    assert "You step aside" in str(list(response.context["messages"])[0])
    assert not Vote.objects.filter(member=world.members["er1"]).exists()
    with pytest.raises(SteppedAside) as refused:
        vote_cast(actor=world.users["er1"], item=item, choice="for")
    assert "declared a conflict of interest: My unit is the subject." in str(
        refused.value.message)


def test_the_parties_of_an_amu_case(world, submission):
    from amu.parties import amu_case_parties

    item = _item(world, submission, actor=world.users["emp2"])
    assert amu_case_parties(item.amu_case) == {world.users["emp2"].pk: "submitted the case"}


# Confidential items ---------------------------------------------------------

def test_a_confidential_item_is_hidden_from_the_observer(world, submission, client):
    item = _item(world, {**submission, "title": "Adaptation for one employee",
                         "description": "Health details of the employee."},
                 documents={"other": [upload("medical-certificate.pdf")]})
    meeting = item.meeting
    document = item.amu_case.documents.get()
    client.force_login(world.secretary)
    client.post(f"/amu/moter/{meeting.pk}/sak/{item.pk}/skjerming/",
                {"confidential-confidential": "on"})
    item.amu_case.refresh_from_db()
    assert item.amu_case.confidential

    case_url = f"/amu/sak/{item.amu_case.case.reference}/"
    client.force_login(world.users["observer"])
    for url in (f"/amu/moter/{meeting.pk}/", f"/amu/moter/{meeting.pk}/sak/{item.pk}/",
                case_url):
        page = client.get(url).content.decode()
        assert "Adaptation for one employee" in page
        assert "Health details of the employee." not in page
        assert "medical-certificate.pdf" not in page
    assert client.get(f"{case_url}dokument/{document.pk}/").status_code == 404

    client.force_login(world.users["er1"])  # a voting member
    page = client.get(f"/amu/moter/{meeting.pk}/sak/{item.pk}/").content.decode()
    assert "Health details of the employee." in page
    assert client.get(f"{case_url}dokument/{document.pk}/").status_code == 200

    attend(world, meeting)
    agenda_item_decide(actor=world.secretary, item=item, method="consensus",
                       outcome=Outcome.ADOPTED, decision_text="Adapted workplace for N.N.")
    meeting_close(actor=world.secretary, meeting=meeting)
    # The member reads the minutes on the meeting's day: signed in afresh (the
    # meeting may lie further ahead than a session lasts, whatever the date).
    client.force_login(world.users["er1"])
    public = " ".join(pdf_text(
        client.get(f"/amu/moter/{meeting.pk}/protokoll.pdf?offentlig=1").content).split())
    assert "Adaptation for one employee" in public
    assert "Adapted workplace for N.N." not in public
    assert "exempt from public access (offentleglova § 13)" in public
    full = " ".join(pdf_text(client.get(f"/amu/moter/{meeting.pk}/protokoll.pdf").content)
                    .split())
    assert "Adapted workplace for N.N." in full
    client.force_login(world.users["observer"])
    minutes = client.get(f"/amu/moter/{meeting.pk}/protokoll/").content.decode()
    assert "Adapted workplace for N.N." not in minutes


# The employer's appeal to the Labour Inspection Authority -------------------

@pytest.fixture
def adopted(world, item):
    meeting = item.meeting
    attend(world, meeting)
    agenda_item_decide(actor=world.secretary, item=item, method="consensus",
                       outcome=Outcome.ADOPTED, decision_text="The employer shall measure.")
    meeting_close(actor=world.secretary, meeting=meeting)
    minutes_approve(actor=world.users["chair"], meeting=meeting)
    return AgendaItem.objects.get(pk=item.pk)


def test_the_employer_records_its_appeal_and_the_outcome(world, adopted, client):
    url = f"/amu/moter/{adopted.meeting_id}/sak/{adopted.pk}/"
    client.force_login(world.users["emp2"])  # the employee side cannot
    assert "Record the appeal" not in client.get(url).content.decode()
    client.post(url + "klage/", {"appeal-brought_on": timezone.localdate().isoformat(),
                                 "appeal-grounds": "Too costly."})
    assert not EmployerAppeal.objects.exists()

    client.force_login(world.users["er1"])
    ahead = (timezone.localdate() + timedelta(days=3)).isoformat()
    refused = client.post(url + "klage/", {"appeal-brought_on": ahead, "appeal-grounds": ""})
    assert refused.status_code == 200
    assert "This field is required." in refused.content.decode()
    Notification.objects.all().delete()
    today = timezone.localdate().isoformat()
    client.post(url + "klage/", {"appeal-brought_on": today, "appeal-reference": "2026/123",
                                 "appeal-grounds": "The measure is out of proportion."})
    appeal = EmployerAppeal.objects.get()
    assert appeal.amu_informed_at is not None and appeal.reference == "2026/123"
    informed = set(Notification.objects.values_list("user__username", flat=True))
    assert {"chair", "emp2", "er2", "observer"} <= informed and "er1" not in informed

    client.post(url + "klage/", {"appeal-outcome-outcome": "upheld",
                                 "appeal-outcome-outcome_on": today})
    appeal.refresh_from_db()
    assert appeal.outcome == "upheld"
    page = client.get(f"/amu/moter/{adopted.meeting_id}/protokoll/").content.decode()
    assert "Brought to the Labour Inspection Authority by the employer" in page
    assert "upheld AMU&#x27;s decision" in page


def test_only_an_adopted_decision_in_approved_minutes_is_appealed(world, item):
    from amu.services.appeals import employer_appeal_record

    with pytest.raises(InvalidInput):
        employer_appeal_record(actor=world.users["er1"], item=item,
                               brought_on=timezone.localdate(), grounds="Too early.")


def test_a_secretary_who_submitted_a_case_does_not_screen_it(world, submission):
    """AMU registers its parties with the core rule (cases.parties): the
    submitter may not claim or complete their own case's screening; the
    task stays with the rest of the secretaries' group."""
    from cases import services as case_services
    from cases.exceptions import Disqualified
    from cases.models import Task, TaskState

    amu_case = amu_case_submit(actor=world.secretary, data=submission, documents={})
    screening = Task.objects.get(case=amu_case.case, bpmn_id="screen", state=TaskState.READY)
    with pytest.raises(Disqualified):
        case_services.task_claim(actor=world.secretary, task_id=screening.pk)
    assert Task.objects.get(pk=screening.pk).assignee_id is None
