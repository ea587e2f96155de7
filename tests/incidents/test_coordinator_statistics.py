"""Coordinators get the statistics of their own units (issue 29, § 4); other
users without a role still get 403."""

import pytest
from django.urls import reverse

from tests.incidents.conftest import submit_report

pytestmark = pytest.mark.django_db


def test_coordinators_see_their_own_units_statistics(client, definitions, people, report_data):
    submit_report(client, people["reporter"], report_data)
    submit_report(client, people["reporter"], {**report_data, "unit": "nv"})
    client.force_login(people["coordinator"])
    response = client.get(reverse("incidents:statistics"))
    assert response.status_code == 200
    stats = response.context["stats"]
    assert stats.total == 1 and {row.key for row in stats.by_unit} == {"ivt"}
    assert "Only your own units are counted." in response.content.decode()
    csv = client.get(reverse("incidents:statistics_csv"))
    assert csv.status_code == 200

    client.force_login(people["nv_coordinator"])
    assert client.get(reverse("incidents:statistics")).context["stats"].total == 1

    client.force_login(people["other_reporter"])
    assert client.get(reverse("incidents:statistics")).status_code == 403
