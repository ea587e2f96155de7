from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # Live updates after the events' transaction commits; the
        # notification job is queued inside it.
        from cases import events
        from notifications import subscribers

        events.subscribe(subscribers.on_case_events)
        events.subscribe_in_transaction(subscribers.queue_notifications)
