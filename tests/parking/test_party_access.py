"""What the applicant sees of their own case, what the officer sees, and
the health information deleted when the decision is final (the read log
kept)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cases import services
from parking.models import DocumentContent, HealthDataRead, ParkingDocument
from parking.services.applications import appeal_submit, assessment_submit
from parking.services.retention import health_data_purge_due
from tests.conftest import make_user
from tests.parking.conftest import complete, ready, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def kari(units):
    return make_user("kari", first_name="Kari", last_name="Nordmann", email="kari@example.no")


def assessed(app, staff, **scores):
    complete(staff["officer"], app.case, "completeness_check", {"completeness": "complete"})
    assessment_submit(actor=staff["physio"], task_id=ready(app.case, "assess").pk,
                      data=score(**scores), note="Walks 80 m with crutches; stairs hard.")


def test_applicant_sees_note_score_appeal_and_who_read_their_health_data(
    client, apply, kari, staff
):
    app = apply(kari)
    assessed(app, staff, function="1", distance="0", days="0")
    client.force_login(staff["physio"])
    client.get(reverse("parking:document", args=[app.documents.get().pk]))  # physio can't now
    complete(staff["officer"], app.case, "allocate",
             {"allocation_decision": "reject", "decision_reasons": "Low score."})
    appeal_submit(actor=kari, application_id=app.pk, grounds="My knee got worse in May.",
                  uploads=[], kind="doctor_statement")
    client.force_login(staff["physio2"])
    assert client.get(reverse("parking:assess", args=[ready(app.case, "reassess").pk])
                      ).status_code == 200

    client.force_login(kari)
    page = client.get(reverse("parking:application", args=[app.pk]))
    text = page.content.decode()
    assert "Walks 80 m with crutches; stairs hard." in text  # the note, kept for her
    assert "1 / 5" in text and "Score: 1 of 10" in text  # the breakdown
    assert "My knee got worse in May." in text  # her appeal grounds
    readers = [(r.reader.username, r.what) for r in page.context["read_log"]]
    assert ("physio2", "application") in readers and ("physio2", "appeal") in readers
    assert all(name != "kari" for name, _what in readers)
    assert "Who has read your health information" in text
    assert HealthDataRead.objects.filter(reader=kari, what="assessment_note").exists()


def test_officer_sees_the_total_and_priority_not_the_health_sub_scores(
    client, apply, kari, staff
):
    app = apply(kari)
    assessed(app, staff, function="4", distance="1", days="2")
    client.force_login(staff["officer"])
    text = client.get(reverse("cases:task", args=[ready(app.case, "allocate").pk])
                      ).content.decode()
    assert "Score: 7 of 10" in text and "1 – health reasons" in text
    assert "Functional limitation" not in text and "4 / 5" not in text
    client.force_login(staff["physio"])
    text = client.get(reverse("cases:detail", args=[app.case.reference])).content.decode()
    assert "4 / 5" in text


def test_apply_page_states_the_article_13_information(client, kari, zones):
    client.force_login(kari)
    text = client.get(reverse("parking:apply")).content.decode()
    for part in ("Controller", "NTNU", "article 9 (2) (b)", "article 6 (1)", "What is kept",
                 "Who reads it", "deleted when the decision is final", "Datatilsynet"):
        assert part in text


def test_health_data_is_deleted_after_the_appeal_period_and_the_read_log_kept(
    client, apply, kari, staff, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    app = apply(kari)
    assessed(app, staff, function="0", distance="0", days="0")
    document = app.documents.get()
    client.force_login(kari)
    assert client.get(reverse("parking:document", args=[document.pk])).status_code == 200
    complete(staff["officer"], app.case, "allocate",
             {"allocation_decision": "reject", "decision_reasons": "Low score."})
    decision = app.decisions.get()

    # Within the appeal period nothing goes.
    assert health_data_purge_due() == 0
    time_machine.move_to(decision.appeal_deadline + timedelta(minutes=1), tick=False)
    services.cases_wake_due()
    call_command("purge_parking_health_data", stdout=StringIO())
    app.refresh_from_db()
    assert app.health_data_deleted_at is not None
    assert not ParkingDocument.objects.filter(application=app).exists()
    assert not DocumentContent.objects.filter(document_id=document.pk).exists()
    assert app.need_description == "" and app.aids == []
    assert app.assessments.get().note == ""
    assert app.assessments.get().total == 0  # the score and the decision stay
    read = HealthDataRead.objects.get(reader=kari, what="document")
    assert read.document is None and read.document_label.endswith(f"#{document.pk}")
    assert health_data_purge_due() == 0  # once


def test_officer_and_physiotherapist_never_handle_their_own_application(
    client, apply, staff
):
    """The officer who applies cannot check or decide their application and
    the physiotherapist who applies cannot assess it: their queues do not
    offer it, the services refuse, and a colleague does it."""
    from cases.exceptions import Disqualified
    from parking.selectors import assessment_queue, officer_tasks_by_zone

    officer, physio = staff["officer"], staff["physio"]
    own = apply(officer)
    check = ready(own.case, "completeness_check")
    grouped, loose = officer_tasks_by_zone(officer)
    assert check not in [t for tasks in grouped.values() for t in tasks] + loose
    with pytest.raises(Disqualified):
        services.task_claim(actor=officer, task_id=check.pk)
    with pytest.raises(Disqualified):
        services.task_complete(actor=officer, task_id=check.pk, data={"completeness": "complete"})
    client.force_login(officer)
    assert client.post(reverse("cases:task_claim", args=[check.pk])).status_code == 403
    services.task_complete(actor=staff["officer2"], task_id=check.pk,
                           data={"completeness": "complete"})

    theirs = apply(physio, zone="gloshaugen-b")
    services.task_complete(actor=officer, task_id=ready(theirs.case, "completeness_check").pk,
                           data={"completeness": "complete"})
    assess = ready(theirs.case, "assess")
    assert assess not in assessment_queue(physio)
    assert assess in assessment_queue(staff["physio2"])
    with pytest.raises(Disqualified):
        services.task_claim(actor=physio, task_id=assess.pk)
    with pytest.raises(Disqualified):
        assessment_submit(actor=physio, task_id=assess.pk, data=score(function="5"))
    client.force_login(physio)
    page = client.get(reverse("parking:assess", args=[assess.pk]))
    assert page.status_code == 200 and page.context["form"] is None
    assessment_submit(actor=staff["physio2"], task_id=assess.pk, data=score(function="2"))
    assert theirs.assessments.get().assessed_by == staff["physio2"]
