"""The AMU pages as the secretary, a member and a submitter use them:
submitting with documents, planning a meeting, building the agenda,
recording a decision with a follow-up action, and the minutes."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from amu.models import AmuCase, Meeting, MeetingStatus, Outcome

from .conftest import accept, attend, consent_documents, on_meeting_day, ready, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _post_submission(client, **overrides):
    data = {"title": "Noise", "kind": "decision", "description": "Too loud.",
            "submitter_role": "employee", "site": "all", **overrides}
    return client.post("/amu/ny-sak/", data)


def test_anyone_signed_in_submits_a_case_with_documents(world, client):
    client.force_login(world.outsider)
    page = client.get("/amu/ny-sak/")
    assert b"Submit a case to AMU" in page.content
    response = _post_submission(client, **{"documents-other": upload("plan.pdf")})
    amu_case = AmuCase.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/amu/sak/{amu_case.case.reference}/"
    assert amu_case.documents.get().title == "plan.pdf"
    page = client.get(response["Location"]).content.decode()
    assert "Too loud." in page and "plan.pdf" in page


def test_a_consent_case_without_its_documents_is_refused_next_to_the_fields(world, client):
    client.force_login(world.outsider)
    response = _post_submission(client, is_building_case="on", needs_consent="yes")
    assert response.status_code == 200
    assert not AmuCase.objects.exists()
    errors = response.context["documents"].errors
    assert set(errors) == {"project_description", "plans_sections", "function_description",
                           "indoor_climate"}
    files = {f"documents-{kind}": files[0] for kind, files in consent_documents().items()}
    response = _post_submission(client, is_building_case="on", needs_consent="yes", **files)
    assert response.status_code == 302
    assert AmuCase.objects.get().documents.count() == 4


def test_building_case_must_answer_the_consent_question(world, client):
    client.force_login(world.outsider)
    response = _post_submission(client, is_building_case="on")
    assert response.status_code == 200
    assert "needs_consent" in response.context["form"].errors


def test_secretary_plans_a_meeting_builds_the_agenda_and_records_the_decision(world, client):
    client.force_login(world.outsider)
    _post_submission(client)
    amu_case = accept(world, AmuCase.objects.get())

    client.force_login(world.secretary)
    day = timezone.localdate() + timedelta(days=30)
    response = client.post("/amu/moter/nytt/", {"body": world.amu.pk, "date": day.isoformat(),
                                                "start_time": "09:00", "location": "Room 7"})
    meeting = Meeting.objects.get(body=world.amu, date=day)
    assert response["Location"] == f"/amu/moter/{meeting.pk}/"
    duplicate = client.post("/amu/moter/nytt/", {"body": world.amu.pk, "date": day.isoformat()})
    assert "already meets on this day" in duplicate.content.decode()

    page = client.get(f"/amu/moter/{meeting.pk}/").content.decode()
    assert amu_case.case.reference in page  # offered as waiting for a meeting
    client.post(f"/amu/moter/{meeting.pk}/legg-til/", {"add-amu_case": amu_case.pk})
    item = meeting.items.get()
    client.post(f"/amu/moter/{meeting.pk}/publiser/")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PUBLISHED

    url = f"/amu/moter/{meeting.pk}/sak/{item.pk}/vedtak/"
    present = {"attendance-present": [
        world.members[n].pk for n in ("chair", "emp2", "er1", "er2")]}
    early = client.post(f"/amu/moter/{meeting.pk}/tilstede/", present, follow=True)
    assert "recorded from that day" in early.content.decode()  # not before the meeting
    assert meeting.attendees.count() == 0
    on_meeting_day(meeting)
    client.force_login(world.secretary)  # a month later: a new session
    client.post(f"/amu/moter/{meeting.pk}/tilstede/", present)
    assert meeting.attendees.count() == 4
    form = {"decision-method": "consensus", "decision-outcome": "adopted",
            "decision-decision_text": "AMU asks for a noise measurement.",
            "actions-TOTAL_FORMS": "3", "actions-INITIAL_FORMS": "0",
            "actions-0-title": "Measure the noise", "actions-0-owner": "nobody",
            "actions-0-deadline": day.isoformat()}
    refused = client.post(url, form)
    assert refused.status_code == 200
    assert "No user with this username." in refused.content.decode()

    form["actions-0-owner"] = "er1"
    response = client.post(url, form)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.outcome == Outcome.ADOPTED and item.method == "consensus"
    assert ready(amu_case.case, "carry_out_action").assignee == world.users["er1"]

    client.post(f"/amu/moter/{meeting.pk}/avslutt/")
    client.force_login(world.users["chair"])
    minutes = client.get(f"/amu/moter/{meeting.pk}/protokoll/").content.decode()
    assert "AMU asks for a noise measurement." in minutes and "Approve the minutes" in minutes
    client.post(f"/amu/moter/{meeting.pk}/protokoll/godkjenn/")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.APPROVED


def test_the_action_owner_reports_on_the_generic_task_page(world, client):
    from amu.services.decisions import ActionInput, agenda_item_decide
    from amu.services.meetings import agenda_item_add, agenda_publish
    from amu.services.submission import amu_case_submit

    amu_case = accept(world, amu_case_submit(actor=world.submitter, data={
        "title": "Noise", "kind": "decision", "description": "Too loud.",
        "submitter_role": "employee", "site": "all"}))
    meeting = world.meetings["amu"]
    item = agenda_item_add(actor=world.secretary, meeting=meeting, amu_case=amu_case)
    agenda_publish(actor=world.secretary, meeting=meeting)
    attend(world, meeting)
    agenda_item_decide(actor=world.secretary, item=item, method="consensus",
                       outcome=Outcome.ADOPTED, decision_text="Measure.",
                       actions=[ActionInput("Measure", world.users["emp2"], meeting.date)])
    task = ready(amu_case.case, "carry_out_action")
    client.force_login(world.users["emp2"])
    page = client.get(f"/saker/oppgaver/{task.pk}/").content.decode()
    assert "Report on the follow-up action" in page and "Too loud." in page
    client.post(f"/saker/oppgaver/{task.pk}/", {"action_status": "not_feasible",
                                                "action_comment": "No meter available."})
    action = amu_case.actions.get()
    assert action.status == "not_feasible" and action.comment == "No meter available."


def test_a_confidential_cases_decision_is_withheld_from_an_action_owner_without_a_vote(
        world, client):
    from amu.services.confidentiality import amu_case_confidential_set
    from amu.services.decisions import ActionInput, agenda_item_decide
    from amu.services.meetings import agenda_item_add, agenda_publish
    from amu.services.submission import amu_case_submit
    from tests.conftest import make_user

    caretaker = make_user("caretaker", first_name="Caretaker")
    amu_case = accept(world, amu_case_submit(actor=world.submitter, data={
        "title": "Adaptation", "kind": "decision", "description": "Health details.",
        "submitter_role": "employee", "site": "all"}))
    amu_case_confidential_set(actor=world.secretary, amu_case=amu_case, confidential=True)
    meeting = world.meetings["amu"]
    item = agenda_item_add(actor=world.secretary, meeting=meeting, amu_case=amu_case)
    agenda_publish(actor=world.secretary, meeting=meeting)
    attend(world, meeting)
    agenda_item_decide(actor=world.secretary, item=item, method="consensus",
                       outcome=Outcome.ADOPTED, decision_text="N.N. gets a reduced workload.",
                       actions=[ActionInput("Arrange a quiet office", caretaker, meeting.date)])
    task = ready(amu_case.case, "carry_out_action")
    client.force_login(caretaker)
    for url in (f"/saker/oppgaver/{task.pk}/", f"/amu/sak/{amu_case.case.reference}/"):
        page = client.get(url).content.decode()
        assert "Adaptation" in page, url
        assert "reduced workload" not in page and "Health details." not in page, url
    client.force_login(world.users["er1"])  # a voting member reads it all
    page = client.get(f"/amu/sak/{amu_case.case.reference}/").content.decode()
    assert "reduced workload" in page and "Arrange a quiet office" in page
