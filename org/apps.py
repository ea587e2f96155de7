from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_role_groups(sender, **kwargs):
    from org.services import role_groups_ensure

    role_groups_ensure()


def _language_on_login(sender, request, user, **kwargs):
    """Signing in: a person who has not chosen a language keeps the one they
    picked with the switcher before signing in (the language cookie). One
    already on the profile wins; ProfileLanguageMiddleware applies it."""
    from django.conf import settings

    from org.services import language_first_choice

    cookie = getattr(request, "COOKIES", {}).get(settings.LANGUAGE_COOKIE_NAME)
    if cookie:
        language_first_choice(user=user, language=cookie)


class OrgConfig(AppConfig):
    name = "org"
    verbose_name = _("Organisation")

    def ready(self):
        # Like contenttypes and auth permissions: default rows every database
        # needs, recreated after migrate and after a test flush.
        post_migrate.connect(_ensure_role_groups, sender=self, dispatch_uid="org_role_groups")
        user_logged_in.connect(_language_on_login, dispatch_uid="org_language_on_login")
