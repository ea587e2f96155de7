"""The documentation is readable only by the applicant and the occupational
physiotherapists (django-guardian object permissions); the case officer sees
the score and which documents exist, never their content or file names.
Every read, and every refused attempt, is logged with who and when."""

import pytest
from django.urls import reverse

from parking.models import HealthDataRead, ReadKind
from parking.services.documents import document_read
from tests.conftest import make_user
from tests.parking.conftest import PDF, complete, ready, score

pytestmark = pytest.mark.django_db

SECRET_NAME = "legeerklaering.pdf"


@pytest.fixture
def kari(units):
    return make_user("kari", first_name="Kari", last_name="Nordmann")


@pytest.fixture
def app(apply, kari):
    return apply(kari)


def reads(app):
    return list(HealthDataRead.objects.filter(application=app).order_by("id")
                .values_list("reader__username", "what", "allowed"))


def test_applicant_and_physiotherapists_may_read_the_file(client, app, kari, staff):
    """The physiotherapists while the assessment is open in their lane."""
    complete(staff["officer"], app.case, "completeness_check", {"completeness": "complete"})
    document = app.documents.get()
    for user in (kari, staff["physio"], staff["physio2"]):
        client.force_login(user)
        response = client.get(reverse("parking:document", args=[document.pk]))
        assert response.status_code == 200
        assert response.content == PDF
        assert response["Content-Type"] == "application/pdf"
        assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert reads(app) == [("kari", "document", True), ("physio", "document", True),
                          ("physio2", "document", True)]
    read = HealthDataRead.objects.filter(application=app).first()
    assert read.document == document and read.at is not None


def test_officer_other_applicant_and_superuser_are_refused_and_logged(
    client, app, staff, people
):
    document = app.documents.get()
    other = make_user("other_applicant")
    for user in (staff["officer"], other, people["superuser"], people["admin"]):
        client.force_login(user)
        response = client.get(reverse("parking:document", args=[document.pk]))
        assert response.status_code == 404
        assert PDF not in response.content
    assert reads(app) == [("officer", "document", False), ("other_applicant", "document", False),
                          ("root", "document", False), ("hseadmin", "document", False)]


def test_refused_read_is_logged_even_when_the_service_raises(app, staff):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        document_read(reader=staff["officer"], document_id=app.documents.get().pk)
    assert reads(app) == [("officer", "document", False)]


def test_officer_sees_score_and_document_kinds_but_no_health_text(client, app, staff):
    complete(staff["officer"], app.case, "completeness_check", {"completeness": "complete"})
    complete(staff["physio"], app.case, "assess",
             {"assessment_result": "scored", "function_score": "3", "distance_score": "1",
              "days_score": "2", "temporary": True})
    client.force_login(staff["officer"])
    allocate = ready(app.case, "allocate")
    for url in (reverse("cases:detail", args=[app.case.reference]),
                reverse("cases:task", args=[allocate.pk])):
        page = client.get(url)
        assert page.status_code == 200
        text = page.content.decode()
        assert "Score: 7 of 10" in text
        assert "Doctor&#x27;s statement on function: 1" in text or \
            "Doctor's statement on function: 1" in text
        assert SECRET_NAME not in text
        assert "walk about 100 metres" not in text
        assert reverse("parking:document", args=[app.documents.get().pk]) not in text
    # The officer's page views are not reads of health information.
    assert reads(app) == []


def test_physiotherapist_assessment_page_shows_and_logs_the_health_data(client, app, staff):
    complete(staff["officer"], app.case, "completeness_check", {"completeness": "complete"})
    task = ready(app.case, "assess")
    client.force_login(staff["physio"])
    page = client.get(reverse("parking:assess", args=[task.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "walk about 100 metres" in text and SECRET_NAME in text
    assert reads(app) == [("physio", "application", True)]

    client.force_login(staff["officer"])
    assert client.get(reverse("parking:assess", args=[task.pk])).status_code == 403


def test_other_applicant_cannot_open_someone_elses_application(client, app, units):
    client.force_login(make_user("nosy"))
    assert client.get(reverse("parking:application", args=[app.pk])).status_code == 404
    assert client.get(reverse("cases:detail", args=[app.case.reference])).status_code == 404


def test_no_health_information_in_workflow_state_or_audit_trail(app, staff):
    """Only routing fields travel in the case: the description and file name
    appear neither in the workflow state nor in any event."""
    import zlib

    from cases.models import CaseEvent

    complete(staff["officer"], app.case, "completeness_check", {"completeness": "complete"})
    app.case.refresh_from_db()
    state = zlib.decompress(bytes(app.case.state)).decode()
    assert "100 metres" not in state and SECRET_NAME not in state
    assert "walking_distance" not in state and "need_description" not in state
    for event in CaseEvent.objects.filter(case=app.case):
        assert "100 metres" not in str(event.data) and SECRET_NAME not in str(event.data)


def test_model_has_no_diagnosis_field():
    from django.apps import apps

    for model in apps.get_app_config("parking").get_models():
        assert not any("diagnos" in f.name for f in model._meta.get_fields()), model


def test_physiotherapist_note_is_read_only_by_applicant_and_physios(app, staff, kari):
    from parking.access import can_read_health_data

    assert can_read_health_data(kari, app)
    assert not can_read_health_data(staff["physio"], app)  # not in their lane yet
    complete(staff["officer"], app.case, "completeness_check", {"completeness": "complete"})
    assert can_read_health_data(staff["physio"], app)
    assert not can_read_health_data(staff["officer"], app)
    assert ReadKind.ASSESSMENT_NOTE


def test_read_log_is_listed_read_only_in_the_admin(client, app, staff, people):
    from django.urls import reverse as url

    client.force_login(staff["officer"])
    client.get(url("parking:document", args=[app.documents.get().pk]))
    client.force_login(people["superuser"])
    page = client.get(url("admin:parking_healthdataread_changelist"))
    assert page.status_code == 200 and "officer" in page.content.decode()
    entry = HealthDataRead.objects.get()
    assert client.post(url("admin:parking_healthdataread_delete", args=[entry.pk]),
                       {"post": "yes"}).status_code == 403
    with pytest.raises(ValueError):
        entry.delete()


def test_physiotherapists_lose_access_when_the_case_leaves_their_lane(
    client, app, kari, staff
):
    """Before the completeness check and after the assessment, the
    physiotherapists read nothing (refused and logged); the applicant always."""
    document = app.documents.get()
    url = reverse("parking:document", args=[document.pk])
    client.force_login(staff["physio"])
    assert client.get(url).status_code == 404
    complete(staff["officer"], app.case, "completeness_check", {"completeness": "complete"})
    assert client.get(url).status_code == 200
    complete(staff["physio"], app.case, "assess", score())
    assert client.get(url).status_code == 404
    client.force_login(kari)
    assert client.get(url).status_code == 200
    assert reads(app) == [("physio", "document", False), ("physio", "document", True),
                          ("physio", "document", False), ("kari", "document", True)]
