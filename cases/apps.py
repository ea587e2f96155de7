from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self):
        # Register the operations this app provides to BPMN service tasks.
        from cases.services import escalation  # noqa: F401
