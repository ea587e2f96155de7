from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    TASK_ASSIGNED = "task_assigned", _("A task was assigned to you")
    TASK_WAITING = "task_waiting", _("A task is waiting in your group")
    REMINDER = "reminder", _("A task is due soon")
    OVERDUE = "overdue", _("Overdue work was escalated")
    STATUS_CHANGED = "status_changed", _("A case you reported changed status")
    CASE_ERROR = "case_error", _("A case stopped with a workflow error")
    NEW_ACTIVITY = "new_activity", _("New activity in a case")
    AGENDA_PUBLISHED = "agenda_published", _("A committee meeting's agenda was published")
    SAFETY_REPRESENTATIVE = "safety_representative", _(
        "An accident or serious near-accident in your area (safety representative)"
    )


# Kinds a user cannot turn into a digest: escalations must arrive at once.
MANDATORY_KINDS = frozenset({Kind.OVERDUE, Kind.CASE_ERROR})


class Notification(models.Model):
    """One message in a user's notification centre.

    ``text`` is what the user may read about the case; for confidential
    processes it is a generic sentence with no case content. ``texts`` holds
    the same sentence in every language Varde speaks, written when the event
    happened, so the centre and the digest show it in the language the person
    uses when they read it (språklova § 15), not the one of the moment it was
    made; ``text`` (in the recipient's language then) is kept for rows from
    before ``texts`` and for the admin.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    task = models.ForeignKey(
        "cases.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.CharField(_("text"), max_length=300)
    texts = models.JSONField(_("text in each language"), default=dict, blank=True,
                             editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        return f"{self.user_id}: {self.text}"

    def text_in(self, language: str) -> str:
        """The sentence in ``language``; a row without it shows ``text``."""
        return self.texts.get(language) or self.text

    @property
    def shown_text(self) -> str:
        """The sentence in the active language (the page's, or the e-mail's:
        notifications.emails renders in the recipient's language)."""
        from varde.languages import or_default

        return self.text_in(or_default(translation.get_language()))

    @property
    def date_only(self) -> bool:
        """Stamped with its date only (of an anonymous report): show no time."""
        from cases.calendar import is_date_only

        return is_date_only(self.created_at)


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately")
    DIGEST = "digest", _("Daily digest")


class NotificationPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    delivery = models.CharField(
        _("e-mail delivery"), max_length=20, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )
    digest_scheduled_for = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"{self.user_id}: {self.delivery}"


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    # Handed to the mail server, its answer not yet recorded (a worker died
    # in between): sent again with the same Message-ID.
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutgoingEmail(models.Model):
    """An e-mail waiting for, or done with, the background sender.

    Kept so a failed send is visible to HSE admins and can be retried.
    """

    to = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    status = models.CharField(
        _("status"), max_length=20, choices=EmailStatus.choices, default=EmailStatus.QUEUED,
        db_index=True,
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # Stable over every attempt, so a receiver can tell a resend from a new mail.
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")

    def __str__(self):
        return f"{self.to}: {self.subject}"
