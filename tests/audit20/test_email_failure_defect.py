"""Audit of issue 20: an e-mail that keeps failing is not a failed job.

send_email catches the mail server's error itself, queues a new send_email
job with a back-off and returns "failed", so every job ends SUCCESSFUL; after
notifications.tasks.MAX_ATTEMPTS the OutgoingEmail is FAILED and send_email
skips it for ever. It is listed on /varsler/e-post-feil/ (no retry, no
discard), never on the failed-jobs page or in ``manage.py failed_jobs``."""

import smtplib
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notifications.models import EmailStatus, OutgoingEmail
from notifications.tasks import MAX_ATTEMPTS, send_email

pytestmark = pytest.mark.django_db


def test_an_email_that_keeps_failing_is_a_failed_job_an_admin_can_retry(
    run_worker, monkeypatch
):
    email = OutgoingEmail.objects.create(to="coordinator@example.no", subject="Deadline",
                                         body="A task waits for you.")
    send_email.enqueue(email.pk)

    def server_down(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(mail.EmailMessage, "send", server_down)
    start = timezone.now()
    for hour in range(MAX_ATTEMPTS + 2):  # far past every back-off
        with time_machine.travel(start + timedelta(hours=hour), tick=False):
            run_worker()
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED and email.attempts == MAX_ATTEMPTS

    listed = StringIO()
    call_command("failed_jobs", stdout=listed)
    failed = DBTaskResult.objects.failed().filter(task_path__endswith=".send_email")
    assert failed.exists(), (
        "no failed job for the e-mail; jobs: "
        f"{list(DBTaskResult.objects.values_list('task_path', 'status'))}; "
        f"failed_jobs says: {listed.getvalue()!r}")
