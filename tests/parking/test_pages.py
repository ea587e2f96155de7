"""The screens over HTTP: the physiotherapist's queue and assessment page,
the officer's board and the generic task page, the applicant's supply and
appeal pages, and the decision letter as a page and as a PDF."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import formats, timezone, translation

from documents.pdf import pdf_text
from org.services import language_set
from parking.models import Assessment, Decision, Permit
from tests.conftest import make_user
from tests.parking.conftest import PDF, complete, ready, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def kari(units):
    return make_user("kari", first_name="Kari", last_name="Nordmann", email="kari@example.no")


def test_physiotherapist_queue_and_assessment_page(client, apply, kari, staff):
    app = apply(kari)
    complete(staff["officer"], app.case, "completeness_check", {"completeness": "complete"})
    task = ready(app.case, "assess")
    client.force_login(staff["physio"])
    queue = client.get(reverse("parking:assessment_queue"))
    assert queue.status_code == 200
    assert [t.pk for t in queue.context["unclaimed"]] == [task.pk]
    assert app.case.reference in queue.content.decode()

    response = client.post(reverse("parking:assessment_claim", args=[task.pk]))
    assert response["Location"] == reverse("parking:assess", args=[task.pk])
    page = client.get(response["Location"])
    # The days part starts from the applicant's five days a week.
    assert page.context["form"]["days_score"].value() == "2"
    response = client.post(reverse("parking:assess", args=[task.pk]), {
        "assessment_result": "scored", "function_score": "3", "distance_score": "2",
        "days_score": "2", "note-note": "Walks 100 m with crutches, then must rest.",
    })
    assert response.status_code == 302, response.context["form"].errors
    assessment = Assessment.objects.get(application=app)
    assert assessment.total == 7 and assessment.assessed_by == staff["physio"]
    assert assessment.note.startswith("Walks 100 m")
    assert ready(app.case, "allocate")


def test_assessment_page_refuses_incomplete_rubric_with_field_errors(client, apply, kari,
                                                                     staff):
    app = apply(kari)
    complete(staff["officer"], app.case, "completeness_check", {"completeness": "complete"})
    task = ready(app.case, "assess")
    client.force_login(staff["physio"])
    response = client.post(reverse("parking:assess", args=[task.pk]),
                           {"assessment_result": "scored", "function_score": "3"})
    assert response.status_code == 200
    assert "distance_score" in response.context["form"].errors
    assert ready(app.case, "assess").pk == task.pk


def test_officer_board_and_task_page(client, apply, kari, staff, to_allocation, zones):
    app = apply(kari)
    allocate = to_allocation(app)
    client.force_login(staff["officer"])
    board = client.get(reverse("parking:board"))
    assert board.status_code == 200
    zone_a = next(b for b in board.context["boards"] if b.zone.code == "gloshaugen-a")
    assert [t.pk for t in zone_a.tasks] == [allocate.pk]
    task_page = client.get(reverse("cases:task", args=[allocate.pk]))
    assert task_page.status_code == 200
    text = task_page.content.decode()
    assert "Score: 7 of 10" in text and "2 of 2" in text  # free spots of the zone
    response = client.post(reverse("cases:task", args=[allocate.pk]),
                           {"allocation_decision": "grant"})
    assert response.status_code == 302
    permit = Permit.objects.get(application=app)
    board = client.get(reverse("parking:board_zone", args=["gloshaugen-a"]))
    text = board.content.decode()
    assert "Kari Nordmann" in text and "EL 12345" in text
    revoke = board.context["boards"][0].permits[0].revoke_task
    assert revoke is not None and revoke.bpmn_id == "permit_active"
    assert permit.valid_to.strftime("%d.%m.%Y") in text or str(permit.valid_to.year) in text


def test_staff_pages_are_for_staff_only(client, kari, staff, zones):
    client.force_login(kari)
    assert client.get(reverse("parking:board")).status_code == 403
    assert client.get(reverse("parking:assessment_queue")).status_code == 403
    client.force_login(staff["physio"])
    assert client.get(reverse("parking:board")).status_code == 403
    client.force_login(staff["officer"])
    assert client.get(reverse("parking:assessment_queue")).status_code == 403
    assert client.get(reverse("parking:board_zone", args=["nowhere"])).status_code == 404


def test_hse_admin_and_unit_staff_do_not_see_parking_cases(client, apply, kari, people):
    app = apply(kari)
    for name in ("admin", "coordinator", "leader"):
        client.force_login(people[name])
        assert client.get(reverse("cases:detail", args=[app.case.reference])).status_code == 404
        queue = client.get(reverse("cases:queue"))
        assert app.case.reference not in queue.content.decode()


def test_applicant_sends_documentation_and_appeals_over_http(
    client, apply, kari, staff, to_allocation
):
    app = apply(kari)
    complete(staff["officer"], app.case, "completeness_check",
             {"completeness": "missing", "documentation_request": "Both sides of the card."})
    client.force_login(kari)
    home = client.get(reverse("parking:home")).content.decode()
    assert "Send the documentation asked for" in home
    page = client.get(reverse("parking:supply", args=[app.pk]))
    assert "Both sides of the card." in page.content.decode()
    response = client.post(reverse("parking:supply", args=[app.pk]),
                           {"doc-document_kind": "disabled_parking_card"})
    assert "Attach a doctor" in response.content.decode()
    response = client.post(reverse("parking:supply", args=[app.pk]), {
        "doc-document_kind": "disabled_parking_card",
        "doc-documents": [SimpleUploadedFile("back.pdf", PDF)],
    })
    assert response.status_code == 302
    assert app.documents.count() == 2

    complete(staff["officer"], app.case, "completeness_check", {"completeness": "complete"})
    complete(staff["physio"], app.case, "assess", score(function="0", distance="0", days="0"))
    complete(staff["officer"], app.case, "allocate",
             {"allocation_decision": "reject", "decision_reasons": "Score 0."})
    client.force_login(kari)
    home = client.get(reverse("parking:home")).content.decode()
    assert "Appeal the decision" in home
    response = client.post(reverse("parking:appeal", args=[app.pk]), {
        "grounds": "", "doc-document_kind": "doctor_statement"})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    response = client.post(reverse("parking:appeal", args=[app.pk]), {
        "grounds": "My condition is worse than the statement says.",
        "doc-document_kind": "doctor_statement"})
    assert response.status_code == 302
    assert ready(app.case, "reassess")
    # The grounds go to the physiotherapists, not into the case.
    client.force_login(staff["officer"])
    text = client.get(reverse("cases:detail", args=[app.case.reference])).content.decode()
    assert "worse than the statement" not in text
    client.force_login(staff["physio2"])
    text = client.get(reverse("parking:assess",
                              args=[ready(app.case, "reassess").pk])).content.decode()
    assert "worse than the statement" in text
    assert "The first assessment is not shown" in text
    client.force_login(staff["physio"])
    text = client.get(reverse("parking:assess",
                              args=[ready(app.case, "reassess").pk])).content.decode()
    assert "must be made by another occupational physiotherapist" in text


def test_decision_letter_page_and_pdf(client, apply, kari, staff, to_allocation):
    language_set(user=kari, language="en")  # the letter is in the applicant's language
    app = apply(kari)
    complete(staff["officer"], to_allocation(app, function="1", distance="0").case,
             "allocate", {"allocation_decision": "reject",
                          "decision_reasons": "A score of 3 is below what the zone needs."})
    decision = Decision.objects.get(application=app)
    with translation.override("en"):
        deadline = formats.date_format(timezone.localtime(decision.appeal_deadline),
                                       "DATE_FORMAT")
    client.force_login(kari)
    page = client.get(reverse("parking:letter", args=[decision.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Your application for near-parking is rejected" in text
    assert "A score of 3 is below what the zone needs." in text
    assert "within 3 weeks" in text and deadline in text
    assert "another occupational physiotherapist" in text
    assert app.case.reference in text

    pdf = client.get(reverse("parking:letter_pdf", args=[decision.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    content = pdf_text(pdf.content)
    assert "rejected" in content and "within 3 weeks" in content
    assert "A score of 3 is below" in content and app.case.reference in content

    client.force_login(make_user("stranger"))
    assert client.get(reverse("parking:letter", args=[decision.pk])).status_code == 404
    assert client.get(reverse("parking:letter_pdf", args=[decision.pk])).status_code == 404
    client.force_login(staff["officer"])
    assert client.get(reverse("parking:letter", args=[decision.pk])).status_code == 200


def test_granted_letter_tells_the_permit_and_renewal(client, apply, kari, staff,
                                                     to_allocation):
    language_set(user=kari, language="en")  # the letter is in the applicant's language
    app = apply(kari)
    complete(staff["officer"], to_allocation(app).case, "allocate",
             {"allocation_decision": "grant"})
    decision = Decision.objects.get(application=app)
    client.force_login(kari)
    text = pdf_text(client.get(reverse("parking:letter_pdf", args=[decision.pk])).content)
    assert "granted" in text and "EL 12345" in text
    assert "30 days before" in text
    assert "Score: 7 of 10" in text


def test_renewal_form_is_prefilled_without_health_fields(client, apply, kari, staff,
                                                         to_allocation):
    app = apply(kari)
    complete(staff["officer"], to_allocation(app).case, "allocate",
             {"allocation_decision": "grant"})
    permit = Permit.objects.get(application=app)
    client.force_login(kari)
    page = client.get(reverse("parking:apply") + f"?fornyelse={permit.pk}")
    form = page.context["form"]
    assert form["vehicle_reference"].value() == "EL 12345"
    assert form["zone"].value() == "gloshaugen-a"
    assert not form["need_description"].value()


def test_applicant_case_page_shows_own_summary_and_messages(client, apply, kari, staff,
                                                            to_allocation):
    app = apply(kari)
    complete(staff["officer"], to_allocation(app, function="0").case, "allocate",
             {"allocation_decision": "reject", "decision_reasons": "Score 4 is too low."})
    client.force_login(kari)
    page = client.get(reverse("cases:detail", args=[app.case.reference]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "See your application" in text and "Appeal the decision" in text
    assert "Score 4 is too low." in text  # the officer's reasons are meant for her
    assert "Olga Officer" not in text and "physio" not in text


def test_notifications_of_the_confidential_process_carry_no_content(apply, kari, staff,
                                                                    to_allocation):
    from notifications.models import Notification

    app = apply(kari)
    complete(staff["officer"], to_allocation(app).case, "allocate",
             {"allocation_decision": "grant"})
    texts = list(Notification.objects.filter(user=kari).values_list("text", flat=True))
    assert texts
    for text in texts:
        assert app.case.reference not in text and "Gløshaugen" not in text


def test_pages_render_in_norwegian(client, apply, kari, staff, to_allocation, zones):
    from django.conf import settings

    zones["a"].capacity = 0  # full: a waitlisted application stays waiting
    zones["a"].save()
    app = apply(kari)
    complete(staff["officer"], to_allocation(app).case, "allocate",
             {"allocation_decision": "waitlist"})
    decision = Decision.objects.get(application=app)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    client.force_login(kari)
    home = client.get(reverse("parking:home")).content.decode()
    assert "Du er nummer 1 for Gløshaugen A." in home
    assert "Søk om nærparkering" in client.get(reverse("parking:apply")).content.decode()
    letter = client.get(reverse("parking:letter", args=[decision.pk])).content.decode()
    assert "Du står på venteliste for nærparkering" in letter and "Klagerett" in letter
    client.force_login(staff["officer"])
    board = client.get(reverse("parking:board")).content.decode()
    assert "Tildelingsoversikt" in board and "Søknader av helsegrunner kommer foran" in board
