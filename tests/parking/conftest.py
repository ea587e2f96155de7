"""Fixtures of the near-parking tests: zones, the two roles, applications
built through the real services, and tiny but real PDF/PNG files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases import services
from cases.models import Task, TaskState
from parking.models import Zone
from parking.roles import OCCUPATIONAL_PHYSIOTHERAPIST, PARKING_APPEAL_BODY, PARKING_OFFICER
from parking.services.applications import application_submit
from parking.uploads import check_document
from tests.conftest import make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf_upload(name="legeerklaering.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def checked(upload):
    return check_document(upload)


@pytest.fixture
def zones(db):
    return {
        "a": Zone.objects.create(code="gloshaugen-a", name="Gløshaugen A", campus="Gløshaugen",
                                 capacity=2),
        "b": Zone.objects.create(code="gloshaugen-b", name="Gløshaugen B", campus="Gløshaugen",
                                 capacity=1),
        "k": Zone.objects.create(code="kalvskinnet", name="Kalvskinnet", campus="Kalvskinnet",
                                 capacity=1),
    }


@pytest.fixture
def staff(units):
    return {
        "officer": make_user("officer", roles=[PARKING_OFFICER], first_name="Olga",
                             last_name="Officer", email="officer@example.no"),
        "officer2": make_user("officer2", roles=[PARKING_OFFICER]),
        "physio": make_user("physio", roles=[OCCUPATIONAL_PHYSIOTHERAPIST],
                            email="physio@example.no"),
        "physio2": make_user("physio2", roles=[OCCUPATIONAL_PHYSIOTHERAPIST]),
        "board": make_user("board", roles=[PARKING_APPEAL_BODY], first_name="Bodil",
                           last_name="Board"),
    }


HEALTH_APPLICATION = {
    "zone": "gloshaugen-a",
    "applicant_role": "employee",
    "building": "Elektrobygget",
    "reason": "health",
    "walking_distance_unaided": "50_200",
    "walking_distance_with_aids": "200_500",
    "aids": ["crutches"],
    "duration": "permanent",
    "days_per_week": 5,
    "need_description": "I can walk about 100 metres before I must rest.",
    "vehicle_reference": "EL 12345",
}


@pytest.fixture
def application_data():
    return dict(HEALTH_APPLICATION)


@pytest.fixture
def apply(definitions, zones):
    """Submit an application through the service; returns the Application."""

    def submit(user, **changes):
        data = {**HEALTH_APPLICATION, **changes}
        uploads = [] if data["reason"] == "social" else [checked(pdf_upload())]
        return application_submit(applicant=user, data=data, uploads=uploads,
                                  document_kind="doctor_statement")

    return submit


def ready(case, bpmn_id) -> Task:
    return Task.objects.get(case=case, bpmn_id=bpmn_id, state=TaskState.READY)


def complete(actor, case, bpmn_id, data):
    return services.task_complete(actor=actor, task_id=ready(case, bpmn_id).pk, data=data)


def score(function="3", distance="2", days="2", temporary=False):
    return {"assessment_result": "scored", "function_score": function,
            "distance_score": distance, "days_score": days, "temporary": temporary}


@pytest.fixture
def to_allocation(staff):
    """Take an application through the completeness check and the assessment."""

    def run(app, **scores):
        complete(staff["officer"], app.case, "completeness_check", {"completeness": "complete"})
        complete(staff["physio"], app.case, "assess", score(**scores))
        app.refresh_from_db()
        return ready(app.case, "allocate")

    return run


@pytest.fixture
def client(client):
    """Pages in English (the msgids), whatever the Norwegian catalogue says."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
