"""A deviation raised with AMU before its title was kept in parts: give the
case the parts (the deviation's reference and type, amu.titles), so readers
get its title in their own language. The stored title stays as it was."""

from django.db import migrations

INCIDENT_TITLE = "amu.incident"  # amu.titles.INCIDENT_TITLE


def forwards(apps, schema_editor):
    AmuCase = apps.get_model("amu", "AmuCase")
    Case = apps.get_model("cases", "Case")
    IncidentReport = apps.get_model("incidents", "IncidentReport")
    escalated = (AmuCase.objects.filter(incident_case__isnull=False, case__title_key="")
                 .values_list("case_id", "incident_case_id", "incident_case__reference"))
    for case_id, incident_case_id, reference in escalated.iterator():
        params = {"reference": reference}
        kind = (IncidentReport.objects.filter(case_id=incident_case_id)
                .values_list("incident_type", flat=True).first())
        if kind:
            params["incident_type"] = kind
        Case.objects.filter(pk=case_id).update(title_key=INCIDENT_TITLE, title_params=params)


class Migration(migrations.Migration):
    dependencies = [
        ("amu", "0003_meeting_seats"),
        ("cases", "0007_case_title_in_parts"),
        ("incidents", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
