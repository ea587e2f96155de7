from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_role_groups(sender, **kwargs):
    from org.services import role_groups_ensure

    role_groups_ensure()


class OrgConfig(AppConfig):
    name = "org"
    verbose_name = _("Organisation")

    def ready(self):
        # Like contenttypes and auth permissions: default rows every database
        # needs, recreated after migrate and after a test flush.
        post_migrate.connect(_ensure_role_groups, sender=self, dispatch_uid="org_role_groups")
