import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def create_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ("hse_coordinator", "unit_leader", "hse_admin"):
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.CreateModel(
            name="Unit",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.SlugField(max_length=40, unique=True, verbose_name="code")),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                ("parent", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="children", to="org.unit", verbose_name="parent unit")),
            ],
            options={"ordering": ["name"], "verbose_name": "unit", "verbose_name_plural": "units"},
        ),
        migrations.CreateModel(
            name="UnitMembership",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("primary", models.BooleanField(default=False, verbose_name="primary unit")),
                ("unit", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="memberships", to="org.unit")),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="unit_memberships", to=settings.AUTH_USER_MODEL)),
            ],
            options={"verbose_name": "unit membership", "verbose_name_plural": "unit memberships"},
        ),
        migrations.AddConstraint(
            model_name="unitmembership",
            constraint=models.UniqueConstraint(fields=("user", "unit"), name="unique_unit_membership"),
        ),
        migrations.RunPython(create_role_groups, migrations.RunPython.noop),
    ]
