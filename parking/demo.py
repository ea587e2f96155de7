"""Demo data for near-parking, for ``seed_demo`` to call.

Idempotent: zones and users are created once (existing users keep their
password unless ``reset_passwords``), and the demo applications only when
the demo applicant has none yet. Everything goes through the real services.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from cases import services
from cases.models import Task, TaskState
from org.models import Unit, UnitMembership
from parking.models import Application, Zone
from parking.roles import OCCUPATIONAL_PHYSIOTHERAPIST, PARKING_APPEAL_BODY, PARKING_OFFICER
from parking.services.applications import (
    appeal_comment_submit,
    appeal_submit,
    application_submit,
)
from parking.uploads import check_document

# (code, name, campus, where, spots)
ZONES = [
    ("gloshaugen-a", "Gløshaugen A", "Gløshaugen", "On the plateau by Hovedbygningen", 3),
    ("gloshaugen-b", "Gløshaugen B", "Gløshaugen", "By Elektrobygget and Realfagbygget", 2),
    ("kalvskinnet", "Kalvskinnet", "Kalvskinnet", "The courtyard by Gunnerus gate", 1),
]

# (username, first name, last name, role or None, unit code)
USERS = [
    ("parkering", "Hilde", "Moen", PARKING_OFFICER, "ok"),
    ("parkering2", "Jon", "Aas", PARKING_OFFICER, "ok"),
    ("klagenemnd", "Ingrid", "Dahl", PARKING_APPEAL_BODY, "ok"),
    ("fysio", "Eirik", "Strand", OCCUPATIONAL_PHYSIOTHERAPIST, "ok"),
    ("fysio2", "Marte", "Lie", OCCUPATIONAL_PHYSIOTHERAPIST, "ok"),
    ("soker", "Nora", "Bakke", None, "ivt-kt"),
    ("soker2", "Anders", "Holm", None, "nv"),
    ("soker3", "Sara", "Nilsen", None, "nv"),
]

DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _users(password: str, reset_passwords: bool) -> dict:
    User = get_user_model()
    users = {}
    for username, first, last, role, unit_code in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last,
                      "email": f"{username}@varde.example"},
        )
        if created or reset_passwords:
            user.set_password(password)
            user.save(update_fields=["password"])
        if role:
            user.groups.add(Group.objects.get_or_create(name=role)[0])
        unit = Unit.objects.filter(code=unit_code).first()
        if unit is not None:
            UnitMembership.objects.get_or_create(user=user, unit=unit,
                                                 defaults={"primary": True})
        users[username] = user
    return users


def _application(user, zone_code: str, **changes) -> Application:
    data = {
        "zone": zone_code, "applicant_role": "employee", "building": "Realfagbygget",
        "reason": "health", "walking_distance_unaided": "50_200",
        "walking_distance_with_aids": "200_500", "aids": ["crutches"],
        "duration": "permanent", "days_per_week": 5,
        "need_description": "I can walk about 100 metres before I must rest.",
        "vehicle_reference": "EL 12345", **changes,
    }
    upload = check_document(SimpleUploadedFile("legeerklaering.pdf", DEMO_PDF))
    return application_submit(applicant=user, data=data, uploads=[upload],
                              document_kind="doctor_statement")


def _complete(actor, app: Application, bpmn_id: str, data: dict) -> None:
    task = Task.objects.get(case=app.case, bpmn_id=bpmn_id, state=TaskState.READY)
    services.task_complete(actor=actor, task_id=task.pk, data=data)


@transaction.atomic
def seed_parking_demo(*, password: str, reset_passwords: bool = False) -> dict:
    """Zones, two case officers (parkering, parkering2), two
    physiotherapists (fysio, fysio2), the appeal body (klagenemnd) and three
    applicants: Nora (soker) holds a permit for Kalvskinnet; Anders (soker2)
    is on its waiting list; a new application of Nora's for Gløshaugen A
    waits for the completeness check; Sara's (soker3) appeal of a refusal has
    been sent to the appeal body. Needs the process synced
    (``sync_workflows``) and the NTNU demo units of ``seed_demo``."""
    for code, name, campus, where, spots in ZONES:
        Zone.objects.get_or_create(code=code, defaults={
            "name": name, "campus": campus, "description": where, "capacity": spots})
    users = _users(password, reset_passwords)
    if Application.objects.filter(applicant=users["soker"]).exists():
        return users
    officer, physio = users["parkering"], users["fysio"]
    score = {"assessment_result": "scored", "function_score": "3", "distance_score": "2",
             "days_score": "2", "temporary": False}

    held = _application(users["soker"], "kalvskinnet")
    _complete(officer, held, "completeness_check", {"completeness": "complete"})
    _complete(physio, held, "assess", score)
    _complete(officer, held, "allocate", {"allocation_decision": "grant"})

    waiting = _application(users["soker2"], "kalvskinnet", vehicle_reference="SU 55555")
    _complete(officer, waiting, "completeness_check", {"completeness": "complete"})
    _complete(physio, waiting, "assess", {**score, "function_score": "2"})
    _complete(officer, waiting, "allocate", {"allocation_decision": "waitlist"})

    _application(users["soker"], "gloshaugen-a", duration="temporary",
                 temporary_until=None)

    # Sara is refused, appeals, is assessed again by the second physiotherapist;
    # the second officer keeps the decision and sends the appeal to the
    # appeal body (klagenemnd), whose task is open.
    refused = _application(users["soker3"], "gloshaugen-b", vehicle_reference="ZT 77777",
                           days_per_week=1)
    _complete(officer, refused, "completeness_check", {"completeness": "complete"})
    _complete(physio, refused, "assess", {**score, "function_score": "0", "distance_score": "0",
                                          "days_score": "0"})
    _complete(officer, refused, "allocate", {
        "allocation_decision": "reject",
        "decision_reasons": "A score of 0 of 10 does not meet the criteria."})
    appeal_submit(actor=users["soker3"], application_id=refused.pk, uploads=[],
                  kind="doctor_statement",
                  grounds="I walk with crutches after knee surgery; please look again.")
    _complete(users["fysio2"], refused, "reassess",
              {**score, "function_score": "1", "distance_score": "0", "days_score": "0"})
    _complete(users["parkering2"], refused, "review_appeal", {
        "appeal_review": "forward",
        "decision_reasons": "The new assessment gives 1 of 10; the criteria are still not met."})
    # She answers the first instance's comments (fvl. § 17), so the appeal body may decide now.
    appeal_comment_submit(actor=users["soker3"], application_id=refused.pk,
                          comment="The knee surgery was in May; I still cannot walk far.")
    return users


DEMO_LOGINS = [
    ("parkering", "near-parking case officer (allocation board)"),
    ("fysio", "occupational physiotherapist (assessment queue)"),
    ("fysio2", "second occupational physiotherapist (appeals)"),
    ("soker", "applicant with a permit and an open application"),
    ("soker2", "applicant on the waiting list"),
    ("parkering2", "second case officer (prepares appeals)"),
    ("klagenemnd", "appeal body (decides a forwarded appeal)"),
    ("soker3", "applicant whose appeal is with the appeal body"),
]
