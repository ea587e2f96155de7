import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("whistleblowing", "0002_procedure_exclusions_linked_cases_audit_chains"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="employer_notice_pending",
            field=models.BooleanField(default=False),
        ),
        migrations.CreateModel(
            name="ExclusionRequest",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                           serialize=False, verbose_name="ID")),
                ("reason", models.CharField(choices=[
                    ("reporter_choice", "Chosen by the reporter"),
                    ("reported_person", "Is the reported person or close to them"),
                    ("conflict", "Other conflict of interest"),
                    ("self", "The member declared themself disqualified"),
                ], max_length=30)),
                ("requested_on", models.DateField()),
                ("holder", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                             related_name="+", to="whistleblowing.keyholder")),
                ("report", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                             related_name="exclusion_requests",
                                             to="whistleblowing.report")),
                ("requested_by", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                   related_name="+",
                                                   to="whistleblowing.keyholder")),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("report", "holder"),
                                                        name="wb_unique_exclusion_request")],
            },
        ),
    ]
