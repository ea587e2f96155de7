"""Render notification e-mails in the recipient's language and queue them."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from notifications.models import Notification, OutgoingEmail
from org import selectors


def language_of(user) -> str:
    """The recipient's one language (their profile; bokmål if none)."""
    return selectors.language_of(user=user)


def absolute(path: str) -> str:
    return settings.VARDE_BASE_URL.rstrip("/") + path


def render_single(notification: Notification) -> tuple[str, str]:
    with translation.override(language_of(notification.user)):
        context = {
            "notification": notification,
            "link": absolute(reverse("notifications:open", args=[notification.pk])),
        }
        subject = render_to_string("notifications/email/subject.txt", context).strip()
        body = render_to_string("notifications/email/single.txt", context)
    return subject, body


def render_digest(user, notifications: list[Notification]) -> tuple[str, str]:
    with translation.override(language_of(user)):
        context = {
            "user": user,
            "items": [
                (n, absolute(reverse("notifications:open", args=[n.pk]))) for n in notifications
            ],
            "centre": absolute(reverse("notifications:list")),
        }
        subject = render_to_string("notifications/email/digest_subject.txt", context).strip()
        body = render_to_string("notifications/email/digest.txt", context)
    return subject, body


def queue_email(*, to: str, subject: str, body: str, at=None) -> OutgoingEmail:
    """``at``: a date-only moment (``cases.calendar.is_date_only``; an e-mail
    about an anonymous report's event): the e-mail is stamped with it instead
    of the time it was queued, and ``notifications.tasks.send_email`` then
    keeps its sent time date-only too."""
    email = OutgoingEmail.objects.create(to=to, subject=subject[:200], body=body)
    if at is not None:
        # created_at is auto_now_add: set after the insert.
        OutgoingEmail.objects.filter(pk=email.pk).update(created_at=at)
        email.created_at = at
    return email
