"""Least privilege for a single task's owner: the view grant that used to be
given to every named assignee is revoked (an HSE administrator's explicit
grant, recorded as a 'granted' event, stays)."""

from django.db import migrations


def revoke(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    UserObjectPermission = apps.get_model("guardian", "UserObjectPermission")
    Task = apps.get_model("cases", "Task")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    User = apps.get_model("auth", "User")
    try:
        content_type = ContentType.objects.get(app_label="cases", model="case")
    except ContentType.DoesNotExist:
        return
    grants = UserObjectPermission.objects.filter(
        content_type=content_type, permission__codename="view_case"
    ).values_list("pk", "user_id", "object_pk")
    for pk, user_id, object_pk in grants.iterator():
        case_id = int(object_pk)
        if not Task.objects.filter(case_id=case_id, assignee_id=user_id).exists():
            continue
        username = User.objects.filter(pk=user_id).values_list("username", flat=True).first()
        explicit = CaseEvent.objects.filter(
            case_id=case_id, kind="granted", data__granted_to=username
        ).exists()
        if not explicit:
            UserObjectPermission.objects.filter(pk=pk).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_case_parties_and_disqualification"),
        ("guardian", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(revoke, migrations.RunPython.noop)]
