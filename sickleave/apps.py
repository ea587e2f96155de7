from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SickleaveConfig(AppConfig):
    name = "sickleave"
    verbose_name = _("Sick-leave follow-up")

    def ready(self):
        from cases.access import register_access_policy
        from cases.parties import register_parties
        from sickleave import operations  # noqa: F401  (registers the operations)
        from sickleave.access import POLICY, PROCESS_ID, employee_concerned
        from sickleave.roles import register_roles
        from sickleave.task_checks import register_task_checks

        register_roles()
        register_access_policy(PROCESS_ID, POLICY)
        register_parties(PROCESS_ID, employee_concerned)
        register_task_checks()
