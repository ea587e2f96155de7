from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # Deliver case events after their transaction commits.
        from cases import events
        from notifications import subscribers

        events.subscribe(subscribers.on_case_events)
