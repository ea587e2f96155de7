from django.db.models import QuerySet

from notifications.models import EmailStatus, Notification, OutgoingEmail


def notification_list(*, user) -> QuerySet:
    return Notification.objects.filter(user=user).select_related("case")


def emails_needing_attention() -> QuerySet:
    """Failed sends and sends still being retried, for HSE admins."""
    return OutgoingEmail.objects.exclude(status=EmailStatus.SENT).filter(attempts__gt=0)
