"""An e-mail that keeps failing is a failed job (issue 20): on the failed-jobs
page after its tries, retried there with one more send under the same
Message-ID, or discarded."""

import smtplib
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cases.services.failed_jobs import JobNotFailed, failed_job_discard, failed_job_retry
from notifications.models import EmailStatus, OutgoingEmail
from notifications.tasks import MAX_ATTEMPTS, send_email

pytestmark = pytest.mark.django_db


@pytest.fixture
def server(monkeypatch):
    """The mail server: down (every send refused) until ``state["up"]``."""
    state = {"up": False, "asked": []}
    send = mail.EmailMessage.send

    def maybe_send(self, fail_silently=False):
        state["asked"].append(self.extra_headers["Message-ID"])
        if not state["up"]:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return send(self, fail_silently=fail_silently)

    monkeypatch.setattr(mail.EmailMessage, "send", maybe_send)
    return state


@pytest.fixture
def failed_email(run_worker, server):
    email = OutgoingEmail.objects.create(to="coordinator@example.no", subject="Deadline",
                                         body="A task waits for you.")
    send_email.enqueue(email.pk)
    start = timezone.now()
    for hour in range(MAX_ATTEMPTS + 1):
        with time_machine.travel(start + timedelta(hours=hour), tick=False):
            run_worker()
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED and email.attempts == MAX_ATTEMPTS
    return email


def failed_send_jobs():
    return DBTaskResult.objects.failed().filter(task_path="notifications.tasks.send_email")


def test_retry_sends_the_failed_email_once_with_its_message_id(failed_email, server,
                                                               run_worker):
    job = failed_send_jobs().get()
    assert job.exception_class_path == "cases.jobs.GiveUp"
    assert set(server["asked"]) == {failed_email.message_id}
    server["up"] = True
    failed_job_retry(job_id=str(job.pk))
    run_worker()
    run_worker()
    failed_email.refresh_from_db()
    assert failed_email.status == EmailStatus.SENT
    assert failed_email.attempts == MAX_ATTEMPTS + 1
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [failed_email.message_id]
    assert DBTaskResult.objects.get(pk=job.pk).status == TaskResultStatus.SUCCESSFUL
    with pytest.raises(JobNotFailed):
        failed_job_retry(job_id=str(job.pk))


def test_a_retry_that_fails_again_is_one_more_try(failed_email, server, run_worker):
    job = failed_send_jobs().get()
    failed_job_retry(job_id=str(job.pk))
    run_worker()
    failed_email.refresh_from_db()
    assert failed_email.status == EmailStatus.FAILED
    assert failed_email.attempts == MAX_ATTEMPTS + 1
    assert failed_send_jobs().get().pk == job.pk  # back on the page, not run again
    assert not mail.outbox


def test_discard_leaves_the_email_failed(failed_email, run_worker):
    job = failed_send_jobs().get()
    failed_job_discard(job_id=str(job.pk))
    run_worker()
    assert not failed_send_jobs().exists()
    failed_email.refresh_from_db()
    assert failed_email.status == EmailStatus.FAILED and not mail.outbox
