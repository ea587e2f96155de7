"""Notify users: a row in their notification centre, a live bell update, and
an e-mail now or in the daily digest. Runs after the case transaction
committed, so nothing is sent for work that rolled back."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from cases.jobs import enqueue_in_transaction
from notifications import groups, live
from notifications.emails import language_of, queue_email, render_digest, render_single
from notifications.models import (
    MANDATORY_KINDS,
    Delivery,
    Notification,
    NotificationPreference,
)
from notifications.texts import notification_texts
from org.services import language_set

DIGEST_HOUR = time(7, 0)


def preference_for(user) -> NotificationPreference:
    pref, _created = NotificationPreference.objects.get_or_create(user=user)
    return pref


def unread_count(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


@transaction.atomic
def notify(*, users, kind: str, case=None, task=None, extra: dict | None = None,
           at: datetime | None = None) -> list:
    """``at``: a date-only moment (``cases.calendar.is_date_only``) to stamp
    the notifications with instead of now, for an event that keeps only its
    date (an anonymous report's arrival): no time of day is stored."""
    created = []
    # Written once in every language: shown in the one the person reads in
    # when they read it (Notification.texts).
    texts = notification_texts(kind=kind, case=case, task=task, extra=extra) if users else {}
    for user in users:
        notification = Notification.objects.create(
            user=user, kind=kind, case=case, task=task,
            text=texts[language_of(user)], texts=texts,
        )
        if at is not None:
            Notification.objects.filter(pk=notification.pk).update(created_at=at)
            notification.created_at = at
        created.append(notification)
        _deliver_email(notification)
    if created:
        user_ids = [n.user_id for n in created]
        transaction.on_commit(lambda: _publish_unread(user_ids))
    return created


def _publish_unread(user_ids: list[int]) -> None:
    """Update the bell on every open page of these users, in one batch."""
    counts = dict(
        Notification.objects.filter(user_id__in=user_ids, read_at__isnull=True)
        .values("user_id").annotate(n=Count("id")).values_list("user_id", "n")
    )
    live.publish_many([
        (groups.user_group(user_id), {"type": "notification", "unread": counts.get(user_id, 0)})
        for user_id in dict.fromkeys(user_ids)
    ])


def _deliver_email(notification: Notification) -> None:
    user = notification.user
    if not user.email:
        return
    pref = preference_for(user)
    if notification.kind in MANDATORY_KINDS or pref.delivery == Delivery.IMMEDIATE:
        subject, body = render_single(notification)
        # A date-only notification keeps no time of day in its e-mail either.
        email = queue_email(to=user.email, subject=subject, body=body,
                            at=notification.created_at if notification.date_only else None)
        notification.emailed_at = (notification.created_at if notification.date_only
                                   else timezone.now())
        notification.save(update_fields=["emailed_at"])
        _enqueue_send(email.pk)
    else:
        _schedule_digest(pref)


def _enqueue_send(email_id: int) -> None:
    from notifications.tasks import send_email

    enqueue_in_transaction(send_email, email_id)


def next_digest_time(now: datetime | None = None) -> datetime:
    now = timezone.localtime(now or timezone.now())
    at = now.replace(hour=DIGEST_HOUR.hour, minute=DIGEST_HOUR.minute, second=0, microsecond=0)
    return at if at > now else at + timedelta(days=1)


def email_notice_time(user, kind: str, now: datetime | None = None) -> datetime | None:
    """When an e-mail notice of ``kind`` made now goes out to ``user``: now
    when sent at once, the next daily digest for who chose it, None without
    an e-mail address (a decision then reaches them when they read it)."""
    now = now or timezone.now()
    if not user.email:
        return None
    pref = preference_for(user)
    if kind in MANDATORY_KINDS or pref.delivery == Delivery.IMMEDIATE:
        return now
    if pref.digest_scheduled_for and pref.digest_scheduled_for > now:
        return pref.digest_scheduled_for
    return next_digest_time(now)


def _schedule_digest(pref: NotificationPreference) -> None:
    """One digest job per user and day, scheduled by the first waiting item."""
    if pref.digest_scheduled_for and pref.digest_scheduled_for > timezone.now():
        return
    pref.digest_scheduled_for = next_digest_time()
    pref.save(update_fields=["digest_scheduled_for"])
    from notifications.tasks import send_digest

    enqueue_in_transaction(send_digest, pref.user_id, run_after=pref.digest_scheduled_for)


@transaction.atomic
def digest_send(*, user) -> int:
    """E-mail every notification still waiting for the digest, in one mail."""
    waiting = list(
        Notification.objects.select_for_update()
        .filter(user=user, emailed_at__isnull=True)
        .order_by("created_at")
    )
    if not waiting or not user.email:
        return 0
    subject, body = render_digest(user, waiting)
    email = queue_email(to=user.email, subject=subject, body=body)
    Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(emailed_at=timezone.now())
    _enqueue_send(email.pk)
    return len(waiting)


@transaction.atomic
def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one (or, without an id, every) notification of the user read."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    count = unread.update(read_at=timezone.now())
    transaction.on_commit(lambda: _publish_unread([user.pk]))
    return count


@transaction.atomic
def preference_update(*, user, delivery: str, language: str | None = None
                      ) -> NotificationPreference:
    """E-mail delivery; ``language`` (if given) is the person's one language
    choice, kept on their profile (org.services.language_set)."""
    pref = preference_for(user)
    pref.delivery = delivery
    pref.full_clean()
    pref.save()
    if language:
        language_set(user=user, language=language)
    return pref
