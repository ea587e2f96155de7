"""One language per person: the former e-mail language
(NotificationPreference.language) becomes the profile's language, which
also governs the pages. Blank stays blank (not chosen); a code Varde does not
speak is not carried over."""

from django.db import migrations

SPOKEN = {"nb", "nn", "en"}


def forwards(apps, schema_editor):
    Preference = apps.get_model("notifications", "NotificationPreference")
    Profile = apps.get_model("org", "Profile")
    chosen = Preference.objects.exclude(language="").values_list("user_id", "language")
    for user_id, language in chosen.iterator():
        if language in SPOKEN:
            Profile.objects.update_or_create(user_id=user_id, defaults={"language": language})


def backwards(apps, schema_editor):
    Preference = apps.get_model("notifications", "NotificationPreference")
    Profile = apps.get_model("org", "Profile")
    for user_id, language in Profile.objects.exclude(language="").values_list(
        "user_id", "language"
    ).iterator():
        Preference.objects.update_or_create(user_id=user_id, defaults={"language": language})


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0002_profile_language"),
        ("notifications", "0005_email_message_id_sending"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
