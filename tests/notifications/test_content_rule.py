"""Notifications of confidential processes (whistleblowing, sick leave,
parking) carry no case content: only a generic sentence and a link."""

import shutil
from pathlib import Path

import pytest
from django.core import mail

from cases import services
from cases.models import Case
from cases.services.definitions import definitions_sync
from notifications.models import Notification

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def confidential_definition(tmp_path, units):
    shutil.copy(FIXTURES / "confidential_demo.bpmn", tmp_path)
    shutil.copytree(FIXTURES / "forms", tmp_path / "forms")
    return definitions_sync(directory=tmp_path)


def test_no_case_field_value_appears_in_confidential_mails(
    confidential_definition, people, units, django_capture_on_commit_callbacks, run_worker
):
    for user in people.values():
        user.email = f"{user.username}@example.no"
        user.save()
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_start(
            process_id="confidential_demo", title="CANARY-TITLE",
            data={"unit": "ivt", "secret": "CANARY-DATA", "due": "2030-01-01"},
            reporter=people["reporter"], unit=units["ivt"],
        )
    run_worker()  # notification job, then the e-mail jobs it queued
    assert mail.outbox, "the coordinators should have been e-mailed"
    case = Case.objects.get(pk=case.pk)
    forbidden = ["CANARY", case.reference, case.title, "ivt"]
    texts = [m.subject + m.body for m in mail.outbox]
    texts += list(Notification.objects.values_list("text", flat=True))
    for text in texts:
        for value in forbidden:
            assert value not in text
