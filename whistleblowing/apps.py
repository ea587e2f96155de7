from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WhistleblowingConfig(AppConfig):
    name = "whistleblowing"
    verbose_name = _("Whistleblowing (#metoo)")

    def ready(self):
        from cases.access import register_access_policy
        from whistleblowing import checks, operations, roles  # noqa: F401
        from whistleblowing.access import POLICY

        roles.register()
        register_access_policy("whistleblowing", POLICY)
