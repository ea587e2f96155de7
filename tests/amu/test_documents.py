"""The agenda and the minutes as PDFs (documents.pdf) hold the cases, the
decisions, the votes and the minority view; uploaded documents are served
only through the access check."""

import pytest
from django.conf import settings

from amu.models import Outcome
from amu.services.decisions import agenda_item_decide, vote_cast, voting_open
from amu.services.meetings import (
    agenda_item_add,
    agenda_item_update,
    agenda_publish,
    meeting_attendance_update,
    meeting_close,
    minutes_approve,
)
from amu.services.submission import amu_case_submit
from documents.pdf import pdf_text

from .conftest import accept, attend, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def meeting(world, submission):
    meeting = world.meetings["amu"]
    noise = accept(world, amu_case_submit(
        actor=world.submitter, data=submission,
        documents={"other": [upload("noise-measurements.pdf")]}))
    report = accept(world, amu_case_submit(
        actor=world.submitter,
        data={**submission, "title": "Tertial report on HSE deviations", "kind": "information"}))
    first = agenda_item_add(actor=world.secretary, meeting=meeting, amu_case=noise)
    second = agenda_item_add(actor=world.secretary, meeting=meeting, amu_case=report)
    agenda_item_update(actor=world.secretary, item=first,
                       proposal="AMU asks for a noise measurement.")
    agenda_publish(actor=world.secretary, meeting=meeting)
    attend(world, meeting)
    return meeting, first, second


def test_agenda_pdf_lists_the_cases_with_numbers_and_documents(world, meeting, client):
    meeting, first, second = meeting
    client.force_login(world.users["emp2"])
    response = client.get(f"/amu/moter/{meeting.pk}/saksliste.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = _flat(pdf_text(response.content))
    year = meeting.date.year % 100
    assert "Agenda – AMU" in text
    assert f"Case 1/{year:02d} Noise in the open-plan office" in text
    assert f"Case 2/{year:02d} Tertial report on HSE deviations" in text
    assert "AMU asks for a noise measurement." in text
    assert "noise-measurements.pdf" in text
    assert text.index(f"Case 1/{year:02d}") < text.index(f"Case 2/{year:02d}")


def test_minutes_pdf_holds_decisions_votes_and_the_minority_view(world, meeting, client):
    meeting, first, second = meeting
    voting_open(actor=world.secretary, item=first)
    for name, choice in (("chair", "for"), ("emp2", "against"), ("er1", "for"),
                         ("er2", "against")):
        vote_cast(actor=world.users[name], item=first, choice=choice)
    agenda_item_decide(actor=world.secretary, item=first, method="vote",
                       decision_text="AMU asks the building owner to measure the noise.",
                       majority_view="Noise harms concentration.",
                       minority_view="Measure after the refurbishment instead.")
    agenda_item_decide(actor=world.secretary, item=second, outcome=Outcome.NOTED,
                       decision_text="Taken for information.")
    meeting_attendance_update(actor=world.secretary, meeting=meeting, member_ids=[
        world.members[n].pk for n in ("chair", "emp2", "er1", "er2", "bht")])
    meeting_close(actor=world.secretary, meeting=meeting)

    client.force_login(world.users["er1"])
    draft = _flat(pdf_text(client.get(f"/amu/moter/{meeting.pk}/protokoll.pdf").content))
    assert "Draft: not yet approved by the chair." in draft

    minutes_approve(actor=world.users["chair"], meeting=meeting)
    text = _flat(pdf_text(client.get(f"/amu/moter/{meeting.pk}/protokoll.pdf").content))
    assert "Minutes – AMU" in text
    assert "Approved by the chair, Chair, on" in text
    assert "Noise in the open-plan office" in text
    assert "Adopted" in text
    assert "2 for, 2 against, 0 abstained" in text
    assert "The votes were tied; the chair's casting vote decided." in text
    assert "AMU asks the building owner to measure the noise." in text
    assert "Minority view Measure after the refurbishment instead." in text
    assert "Emp2 Employee side Against" in text
    assert "Taken for information." in text
    assert "Bht, Occupational health service – neither side, without a vote" in text


def test_documents_are_served_only_through_the_access_check(world, meeting, client):
    meeting, first, _second = meeting
    document = first.amu_case.documents.get()
    url = f"/amu/sak/{first.amu_case.case.reference}/dokument/{document.pk}/"
    client.force_login(world.users["emp2"])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert "noise-measurements.pdf" in response["Content-Disposition"]
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404


def test_documents_of_an_unaccepted_type_are_refused(world, submission):
    from amu.exceptions import InvalidInput

    with pytest.raises(InvalidInput):
        amu_case_submit(actor=world.submitter, data=submission,
                        documents={"other": [upload("script.exe", b"MZ")]})
