"""The "critical" severity follows the Labour Inspection Authority's
definition of serious personal injury, with its exception for simple
outpatient treatment, on the report form and at triage (issue 29, § 5)."""

import pytest
from django.urls import reverse

from tests.incidents.conftest import ready, submit_report

pytestmark = pytest.mark.django_db


def test_the_report_form_and_triage_describe_critical_as_the_authority_does(
    client, definitions, people, report_data
):
    html = client.get(reverse("incidents:report")).content.decode()
    assert "simple outpatient treatment does not count" in html
    assert "admission to hospital" in html and "hospital treatment" not in html

    case = submit_report(client, people["reporter"], report_data)
    triage = ready(case, "triage")
    client.force_login(people["coordinator"])
    client.post(reverse("cases:task_claim", args=[triage.pk]))
    html = client.get(reverse("cases:task", args=[triage.pk])).content.decode()
    assert "simple outpatient treatment does not count" in html

    client.cookies["django_language"] = "nb"
    html = client.get(reverse("cases:task", args=[triage.pk])).content.decode()
    assert "enkel poliklinisk behandling regnes ikke med" in html
