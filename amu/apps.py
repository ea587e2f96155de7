from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AmuConfig(AppConfig):
    name = "amu"
    verbose_name = _("Working environment committee (AMU)")

    def ready(self):
        from amu import operations  # noqa: F401
        from amu.parties import case_parties
        from amu.roles import register_roles
        from amu.titles import register as register_titles
        from cases.parties import register_parties

        register_roles()
        register_titles()
        # The submitter answers the secretary's questions as the party.
        register_parties("amu_case", case_parties, own_steps=["ask_submitter"])
