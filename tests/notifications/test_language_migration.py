"""The migration that makes the e-mail language the person's one language:
each chosen NotificationPreference.language moves to org.Profile.language;
a blank one stays no choice, and a code Varde does not speak is dropped."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("notifications", "0005_email_message_id_sending"), ("org", "0002_profile_language")]


def _migrate(targets=None):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def test_the_e_mail_language_moves_to_the_profile():
    old = _migrate(BEFORE)
    User = old.get_model("auth", "User")
    Preference = old.get_model("notifications", "NotificationPreference")
    chosen = {}
    for name, language in (("ola", "en"), ("kari", "nb"), ("per", ""), ("lisa", "de")):
        user = User.objects.create(username=name)
        Preference.objects.create(user=user, language=language)
        chosen[name] = user.pk

    _migrate()
    from notifications.models import NotificationPreference
    from org.models import Profile

    languages = dict(Profile.objects.values_list("user_id", "language"))
    assert languages == {chosen["ola"]: "en", chosen["kari"]: "nb"}
    assert NotificationPreference.objects.count() == 4
    assert not hasattr(NotificationPreference(), "language")
