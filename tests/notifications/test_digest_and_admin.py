"""Daily digests for users who chose them; failed sends visible to HSE admins."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from cases.jobs import GiveUp
from incidents.services import incident_report_submit
from notifications.models import Delivery, EmailStatus, Kind, OutgoingEmail
from notifications.services import preference_update
from notifications.tasks import MAX_ATTEMPTS, send_email

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
def with_emails(people):
    for user in people.values():
        user.email = f"{user.username}@example.no"
        user.save()
    return people


def test_digest_user_gets_one_mail_next_morning(
    definitions, with_emails, report_data, django_capture_on_commit_callbacks, run_worker
):
    people = with_emails
    preference_update(user=people["coordinator"], delivery=Delivery.DIGEST, language="en")
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=OSLO), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            incident_report_submit(reporter=people["reporter"], data=report_data)
            incident_report_submit(reporter=people["reporter"], data=report_data)
        run_worker()
        assert not OutgoingEmail.objects.filter(to="coordinator@example.no").exists()
        # coordinator2 kept immediate delivery
        assert OutgoingEmail.objects.filter(to="coordinator2@example.no").count() == 2
    with time_machine.travel(datetime(2026, 11, 24, 7, 1, tzinfo=OSLO), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            run_worker()
        with django_capture_on_commit_callbacks(execute=True):
            run_worker()  # the digest job queued the send job
    digests = [m for m in mail.outbox if m.to == ["coordinator@example.no"]]
    assert len(digests) == 1
    # Two new tasks, and each one's reminder (due Wednesday, reminded Monday 16:00).
    assert "4 new notifications" in digests[0].subject
    assert digests[0].body.count("is waiting in your group") == 2
    assert digests[0].body.count("is due") == 2


def test_mandatory_escalations_ignore_the_digest_choice(definitions, with_emails, report_data):
    from notifications.services import notify

    people = with_emails
    preference_update(user=people["leader"], delivery=Delivery.DIGEST)
    case = incident_report_submit(reporter=people["reporter"], data=report_data)
    notify(users=[people["leader"]], kind=Kind.OVERDUE, case=case)
    assert OutgoingEmail.objects.filter(to="leader@example.no").count() == 1


def test_failed_sends_are_listed_for_hse_admins_only(client, people, settings):
    email = OutgoingEmail.objects.create(to="x@example.no", subject="s", body="b")
    settings.EMAIL_BACKEND = "tests.notifications.failing_backend.FailingBackend"
    for _ in range(MAX_ATTEMPTS - 1):
        send_email.call(email.pk)
    with pytest.raises(GiveUp):  # the job fails for good: the failed-jobs page
        send_email.call(email.pk)
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED
    url = reverse("notifications:failed_emails")
    client.force_login(people["admin"])
    response = client.get(url)
    assert response.status_code == 200
    assert "x@example.no" in response.content.decode()
    client.force_login(people["coordinator"])
    assert client.get(url).status_code == 404
