"""The near-parking demo data can be seeded twice without duplicates."""

import pytest

from cases.models import Task, TaskState
from parking.demo import seed_parking_demo
from parking.models import Application, ApplicationStatus, Permit, Zone

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent(definitions):
    users = seed_parking_demo(password="pw")
    assert users["parkering"].groups.filter(name="parking_officer").exists()
    assert users["fysio"].check_password("pw")
    assert Zone.objects.count() == 3
    assert Permit.objects.filter(holder=users["soker"], status="active").count() == 1
    waiting = Application.objects.get(applicant=users["soker2"])
    assert waiting.status == ApplicationStatus.WAITLISTED
    # The demo shows an appeal forwarded to the appeal body.
    appealed = Application.objects.get(applicant=users["soker3"])
    assert appealed.appeals.get().forwarded_at is not None
    body_task = Task.objects.get(case=appealed.case, bpmn_id="appeal_body_decision",
                                 state=TaskState.READY)
    assert body_task.candidate_group.name == "parking_appeal_body"
    assert users["klagenemnd"].groups.filter(name="parking_appeal_body").exists()
    seed_parking_demo(password="other")
    assert Zone.objects.count() == 3 and Application.objects.count() == 4
    users["fysio"].refresh_from_db()
    assert users["fysio"].check_password("pw")
