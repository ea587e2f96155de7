from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AmuConfig(AppConfig):
    name = "amu"
    verbose_name = _("Working environment committee (AMU)")

    def ready(self):
        from amu import operations  # noqa: F401
        from amu.roles import register_roles

        register_roles()
