"""Background jobs (django-tasks): send e-mail with retries, daily digests,
due-date reminders. All are scheduled with run_after; none scans cases."""

import logging
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.core.mail.message import make_msgid
from django.db import InterfaceError, OperationalError, connection, transaction
from django.utils import timezone
from django_tasks import task

from cases.calendar import is_date_only
from cases.jobs import GiveUp, effect_done, enqueue_in_transaction, on_retry, own_transactions
from notifications.models import EmailStatus, OutgoingEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
SENT_RECORD_SECONDS = 60


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes between attempts."""
    return timedelta(minutes=2 ** max(attempts - 1, 0))


@task()
@own_transactions
def send_email(email_id: int) -> str:
    """Send one queued e-mail; on failure try again later (a new job after
    ``retry_delay``), and after ``MAX_ATTEMPTS`` mark it failed and fail the
    job for good (``GiveUp``): it shows with its error on the failed-jobs
    page, where an HSE admin can retry it (one more send, ``_reopen``) or
    discard it. Never raised into a user's request.

    Three commits: SENDING before the mail server is asked, SENT as soon as it
    accepted the message. A rerun skips a SENT or FAILED e-mail; one left
    SENDING (the worker died while the server answered) goes again with the
    same Message-ID, which receivers use to drop the duplicate.
    """
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status in (EmailStatus.SENT, EmailStatus.FAILED):
            return "skipped"
        email.attempts += 1
        email.status = EmailStatus.SENDING
        if not email.message_id:
            email.message_id = make_msgid("varde", domain=_mail_domain())
        email.save(update_fields=["attempts", "status", "message_id"])
    message = EmailMessage(email.subject, email.body, None, [email.to],
                           headers={"Message-ID": email.message_id})
    # From the moment the mail server is asked until its answer is recorded
    # the worker does not stop this job for a lost lease: a rerun would send
    # the message a second time.
    with effect_done():
        try:
            message.send(fail_silently=False)
        except Exception as exc:  # SMTP and connection errors alike
            failure = exc
        else:
            failure = None
            # An e-mail stamped date-only (``emails.queue_email``) keeps its sent
            # time date-only: the moment it was sent would give the event's time away.
            sent_at = email.created_at if is_date_only(email.created_at) else timezone.now()
            _record_sent(email.pk, sent_at)
    if failure is None:
        return "sent"
    with transaction.atomic():
        email.last_error = f"{failure.__class__.__name__}: {failure}"[:2000]
        email.status = (EmailStatus.FAILED if email.attempts >= MAX_ATTEMPTS
                        else EmailStatus.QUEUED)
        email.save(update_fields=["last_error", "status"])
        logger.warning("E-mail %s failed (attempt %s): %s", email.pk, email.attempts,
                       failure.__class__.__name__)
        if email.status != EmailStatus.FAILED:
            enqueue_in_transaction(
                send_email, email_id, run_after=timezone.now() + retry_delay(email.attempts)
            )
    if email.status == EmailStatus.FAILED:
        # Committed FAILED above; the job fails for good (no address in
        # the message: the failed-jobs page and its command show none).
        raise GiveUp(f"E-mail {email.pk} not sent after {email.attempts} attempts "
                     f"({failure.__class__.__name__})") from failure
    return "failed"


def _record_sent(email_id: int, sent_at) -> None:
    """The mail server has accepted the message: record it, waiting out a
    database outage (a cut connection, SQLite's lock held) for up to
    ``SENT_RECORD_SECONDS``. Giving up at once would leave the e-mail SENDING
    and its rerun would send it a second time."""
    deadline = time.monotonic() + SENT_RECORD_SECONDS
    while True:
        try:
            OutgoingEmail.objects.filter(pk=email_id).update(
                status=EmailStatus.SENT, sent_at=sent_at, last_error=""
            )
            return
        except (OperationalError, InterfaceError):
            if time.monotonic() >= deadline or connection.in_atomic_block:
                raise
            connection.close()
            time.sleep(1)


@on_retry(send_email)
def _reopen(email_id: int) -> None:
    """The failed-jobs page retries a failed send: the FAILED e-mail is queued
    for one more attempt (its Message-ID kept); a SENT one stays sent."""
    OutgoingEmail.objects.filter(pk=email_id, status=EmailStatus.FAILED).update(
        status=EmailStatus.QUEUED
    )


def _mail_domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "varde.invalid"


@task()
def send_digest(user_id: int) -> int:
    from notifications.services import digest_send

    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    return digest_send(user=user) if user else 0


@task()
def task_reminder(task_id: int, due_at: str) -> bool:
    """Remind whoever holds (or may claim) a task that is due soon, unless it
    was completed or its due date moved since the reminder was scheduled."""
    from cases.models import Task, TaskState
    from notifications.models import Kind
    from notifications.recipients import task_candidates
    from notifications.services import notify

    item = Task.objects.select_related("case", "case__definition", "candidate_group",
                                       "assignee").filter(pk=task_id).first()
    if item is None or item.state != TaskState.READY or item.due_at is None:
        return False
    if item.due_at != datetime.fromisoformat(due_at):
        return False
    users = [item.assignee] if item.assignee else task_candidates(item)
    notify(users=users, kind=Kind.REMINDER, case=item.case, task=item)
    return True


@task()
def notify_for_events(event_ids: list[int]) -> None:
    """Notifications for one committed transaction's case events."""
    from notifications.subscribers import notify_for

    notify_for(event_ids)
