"""Who gets what, for every AMU page and action × member, member of another
body, non-member, secretary and submitter.

Expected codes: 200 page shown; 302 done (or refused by a service rule with a
message, see ``done``); 403 the role does not allow the action; 404 the user
may not know that the meeting or case exists.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.conf import settings

from amu.models import Meeting, MeetingStatus, Outcome, Vote
from amu.services.decisions import agenda_item_decide, voting_open
from amu.services.meetings import agenda_item_add, agenda_publish, meeting_close
from amu.services.submission import amu_case_submit

from .conftest import accept, attend, upload

pytestmark = pytest.mark.django_db

ROLES = ["member", "non_voting_member", "other_body_member", "non_member", "secretary",
         "submitter"]


@dataclass
class Setting:
    world: object
    open_item: object  # on a published AMU agenda, voting open
    held: Meeting  # minutes awaiting the chair
    planned: Meeting  # agenda not yet published, with a case on it
    hidden_case: object  # on the planned meeting only

    def user(self, role):
        return {
            "member": self.world.users["er1"],
            "non_voting_member": self.world.users["bht"],
            "other_body_member": self.world.users["bchair"],
            "non_member": self.world.outsider,
            "secretary": self.world.secretary,
            "submitter": self.world.submitter,
        }[role]


@pytest.fixture
def setting(world, submission):
    def new_case(title):
        amu_case = amu_case_submit(actor=world.submitter, data={**submission, "title": title},
                                   documents={"other": [upload("noise.pdf")]})
        return accept(world, amu_case)

    meeting = world.meetings["amu"]
    open_case, decided_case, hidden_case = new_case("Open"), new_case("Decided"), new_case("Hidden")
    held = Meeting.objects.create(body=world.amu, date=meeting.date - timedelta(days=7))
    decided_item = agenda_item_add(actor=world.secretary, meeting=held, amu_case=decided_case)
    agenda_publish(actor=world.secretary, meeting=held)
    attend(world, held)
    agenda_item_decide(actor=world.secretary, item=decided_item, method="consensus",
                       outcome=Outcome.ADOPTED, decision_text="Adopted.")
    meeting_close(actor=world.secretary, meeting=held)

    open_item = agenda_item_add(actor=world.secretary, meeting=meeting, amu_case=open_case)
    agenda_publish(actor=world.secretary, meeting=meeting)
    attend(world, meeting)
    voting_open(actor=world.secretary, item=open_item)

    planned = Meeting.objects.create(body=world.amu, date=meeting.date + timedelta(days=7))
    agenda_item_add(actor=world.secretary, meeting=planned, amu_case=hidden_case)
    return Setting(world, open_item, held, planned, hidden_case)


@dataclass
class Endpoint:
    method: str
    url: Callable
    expected: dict
    data: Callable | None = None
    done: Callable | None = None  # for an allowed POST: did it happen?


def codes(default=200, **given):
    return {role: given.get(role, default) for role in ROLES}


def _doc(s, amu_case):
    return f"/amu/sak/{amu_case.case.reference}/dokument/{amu_case.documents.first().pk}/"


ENDPOINTS = {
    "home": Endpoint("get", lambda s: "/amu/", codes()),
    "calendar": Endpoint("get", lambda s: "/amu/moter/", codes()),
    "agenda": Endpoint("get", lambda s: f"/amu/moter/{s.open_item.meeting_id}/",
                       codes(404, member=200, non_voting_member=200, secretary=200)),
    "agenda_pdf": Endpoint("get", lambda s: f"/amu/moter/{s.open_item.meeting_id}/saksliste.pdf",
                           codes(404, member=200, non_voting_member=200, secretary=200)),
    "unpublished_agenda": Endpoint("get", lambda s: f"/amu/moter/{s.planned.pk}/",
                                   codes(404, secretary=200)),
    "case_on_agenda": Endpoint(
        "get", lambda s: f"/amu/sak/{s.open_item.amu_case.case.reference}/",
        codes(404, member=200, non_voting_member=200, secretary=200, submitter=200)),
    "document": Endpoint("get", lambda s: _doc(s, s.open_item.amu_case),
                         codes(404, member=200, non_voting_member=200, secretary=200,
                               submitter=200)),
    "case_not_yet_published": Endpoint(
        "get", lambda s: f"/amu/sak/{s.hidden_case.case.reference}/",
        codes(404, secretary=200, submitter=200)),
    "document_not_yet_published": Endpoint(
        "get", lambda s: _doc(s, s.hidden_case), codes(404, secretary=200, submitter=200)),
    "generic_case_page": Endpoint(
        "get", lambda s: f"/saker/sak/{s.open_item.amu_case.case.reference}/",
        codes(404, secretary=200, submitter=200)),
    "minutes": Endpoint("get", lambda s: f"/amu/moter/{s.held.pk}/protokoll/",
                        codes(404, member=200, non_voting_member=200, secretary=200)),
    "minutes_pdf": Endpoint("get", lambda s: f"/amu/moter/{s.held.pk}/protokoll.pdf",
                            codes(404, member=200, non_voting_member=200, secretary=200)),
    "statistics": Endpoint("get", lambda s: "/amu/tall/",
                           codes(403, member=200, non_voting_member=200, other_body_member=200,
                                 secretary=200)),
    "publish_agenda": Endpoint(
        "post", lambda s: f"/amu/moter/{s.planned.pk}/publiser/", codes(403, secretary=302),
        done=lambda s: Meeting.objects.get(pk=s.planned.pk).status == MeetingStatus.PUBLISHED),
    "edit_proposal": Endpoint(
        "post",
        lambda s: f"/amu/moter/{s.open_item.meeting_id}/sak/{s.open_item.pk}/forslag/",
        codes(403, secretary=302),
        data=lambda s: {f"proposal-{s.open_item.pk}-proposal": "New proposal"},
        done=lambda s: s.open_item.__class__.objects.get(pk=s.open_item.pk).proposal
        == "New proposal"),
    "record_decision": Endpoint(
        "post",
        lambda s: f"/amu/moter/{s.open_item.meeting_id}/sak/{s.open_item.pk}/vedtak/",
        codes(403, secretary=302),
        data=lambda s: {"decision-method": "consensus", "decision-outcome": "adopted",
                        "decision-decision_text": "Agreed.", "actions-TOTAL_FORMS": "0",
                        "actions-INITIAL_FORMS": "0"},
        done=lambda s: s.open_item.__class__.objects.get(pk=s.open_item.pk).decided),
    "summary": Endpoint(
        "post", lambda s: f"/amu/sak/{s.open_item.amu_case.case.reference}/sammendrag/",
        codes(403, secretary=302), data=lambda s: {"summary-summary": "Short."},
        done=lambda s: s.open_item.amu_case.__class__.objects.get(
            pk=s.open_item.amu_case_id).summary == "Short."),
    "vote": Endpoint(
        "post", lambda s: f"/amu/moter/{s.open_item.meeting_id}/sak/{s.open_item.pk}/stem/",
        codes(404, member=302, non_voting_member=302, secretary=302),
        data=lambda s: {"vote-choice": "for"},
        # The secretary and the member without a vote are refused with a message.
        done=lambda s: Vote.objects.filter(item=s.open_item).exists()),
    "approve_minutes": Endpoint(
        "post", lambda s: f"/amu/moter/{s.held.pk}/protokoll/godkjenn/",
        codes(404, member=302, non_voting_member=302, secretary=302),
        # Only the chair approves; the others get a message.
        done=lambda s: Meeting.objects.get(pk=s.held.pk).status == MeetingStatus.APPROVED),
}

# Who actually gets the change (the others with a 302 were refused with a message).
DONE_BY = {"vote": {"member"}, "approve_minutes": set()}


@pytest.fixture
def client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


PAGES = [name for name, endpoint in ENDPOINTS.items() if endpoint.method == "get"]
ACTIONS = [name for name, endpoint in ENDPOINTS.items() if endpoint.method == "post"]


@pytest.mark.parametrize("name", PAGES)
def test_page_permissions(setting, client, name):
    """Pages change nothing, so one set-up serves every role."""
    endpoint = ENDPOINTS[name]
    url = endpoint.url(setting)
    for role in ROLES:
        client.force_login(setting.user(role))
        assert client.get(url).status_code == endpoint.expected[role], (name, role, url)


@pytest.mark.parametrize("name", ACTIONS)
def test_action_permissions(setting, client, name):
    """Refused requests change nothing, so every role tries in turn, the one
    that may do it last; only that one changes something."""
    endpoint = ENDPOINTS[name]
    url = endpoint.url(setting)
    data = endpoint.data(setting) if endpoint.data else {}
    allowed = DONE_BY.get(name, {r for r, code in endpoint.expected.items() if code == 302})
    for role in sorted(ROLES, key=lambda r: r in allowed):
        client.force_login(setting.user(role))
        response = client.post(url, data)
        assert response.status_code == endpoint.expected[role], (name, role, url)
        assert endpoint.done(setting) is (role in allowed), (name, role)


def test_the_chair_approves_the_minutes(setting, client):
    client.force_login(setting.world.users["chair"])
    client.post(f"/amu/moter/{setting.held.pk}/protokoll/godkjenn/")
    assert Meeting.objects.get(pk=setting.held.pk).status == MeetingStatus.APPROVED


def test_logged_out_users_are_sent_to_log_in(setting, client):
    for name, endpoint in ENDPOINTS.items():
        response = getattr(client, endpoint.method)(endpoint.url(setting))
        assert response.status_code == 302, name
        assert response["Location"].startswith(settings.LOGIN_URL) or "/konto/logg-inn/" in (
            response["Location"]), name


def test_a_former_member_loses_access(setting, client):
    from django.utils import timezone

    member = setting.world.members["er1"]
    member.term_end = timezone.localdate() - timedelta(days=1)
    member.save()
    client.force_login(setting.world.users["er1"])
    assert client.get(f"/amu/moter/{setting.open_item.meeting_id}/").status_code == 404
