from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("HSE deviations")

    def ready(self):
        from cases.parties import register_parties, reporter_is_party
        from incidents import operations  # noqa: F401
        from incidents.task_checks import register_task_checks

        register_task_checks()

        # The reporter (none for an anonymous report) never handles the deviation.
        register_parties("incident", reporter_is_party)

        from incidents.roles import SAFETY_REPRESENTATIVE
        from org.roles import register_role

        register_role(SAFETY_REPRESENTATIVE, _("Safety representative"), unit_scoped=True)
