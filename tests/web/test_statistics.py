"""Tertial statistics: counts by severity (with "not yet categorised"),
category and unit; open, closed and overdue; personal injuries; unit leaders
see only their units."""

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases import services
from incidents.selectors import tertial_bounds, tertial_of, tertial_statistics
from incidents.services import incident_report_submit
from tests.web.conftest import ready

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(definitions, people, report_data):
    """Four deviations this tertial: ivt serious (open), ivt rejected (closed),
    ivt untouched (open), nv with an injury (open)."""
    coordinator = people["coordinator"]
    serious = incident_report_submit(reporter=people["reporter"], data=report_data)
    services.task_complete(actor=coordinator, task_id=ready(serious, "triage").pk,
                           data={"triage_decision": "accept", "severity": "serious"})
    rejected = incident_report_submit(
        reporter=people["reporter"], data=report_data | {"categories": ["fire"]}
    )
    services.task_complete(actor=coordinator, task_id=ready(rejected, "triage").pk,
                           data={"triage_decision": "reject", "rejection_reason": "No"})
    untouched = incident_report_submit(reporter=None, data=report_data)
    injury = incident_report_submit(
        reporter=people["reporter"],
        data=report_data | {"unit": "nv", "injury_actual": True, "categories": ["fire"]},
    )
    return {"serious": serious, "rejected": rejected, "untouched": untouched, "nv": injury}


def _now_tertial():
    now = timezone.localtime()
    return now.year, tertial_of(now)


def test_tertial_bounds():
    start, end = tertial_bounds(2026, 1)
    assert (start.month, start.day, end.month) == (1, 1, 5)
    start, end = tertial_bounds(2026, 3)
    assert (start.year, start.month, end.year, end.month) == (2026, 9, 2027, 1)
    with pytest.raises(ValueError):
        tertial_bounds(2026, 4)


def test_counts_for_all_units(reported):
    stats = tertial_statistics(*_now_tertial())
    assert (stats.total, stats.open, stats.closed, stats.rejected) == (4, 3, 1, 1)
    assert stats.injuries == 1 and stats.overdue == 0
    severity = {row.key: row.total for row in stats.by_severity}
    assert severity == {"critical": 0, "serious": 1, "less_serious": 0, "": 3}
    categories = {row.key: row.total for row in stats.by_category}
    assert categories == {"building": 2, "personal_injury": 2, "fire": 2}
    units = {row.key: (row.total, row.open, row.closed) for row in stats.by_unit}
    assert units == {"ivt": (3, 2, 1), "nv": (1, 1, 0)}
    assert tertial_statistics(2001, 1).total == 0


def test_overdue_counts_open_cases_with_a_task_past_due(reported):
    year, tertial = _now_tertial()
    # Triage is due within two working days, so a week on the two untriaged
    # cases are overdue; the accepted one has 60 days to close.
    later = timezone.now() + timedelta(days=7)
    with time_machine.travel(later, tick=False):
        stats = tertial_statistics(year, tertial)
    assert stats.overdue == 2


def test_unit_leader_sees_only_their_units(client, reported, people):
    client.force_login(people["leader"])
    response = client.get(reverse("incidents:statistics"))
    assert response.status_code == 200
    stats = response.context["stats"]
    assert stats.total == 3 and {row.key for row in stats.by_unit} == {"ivt"}
    html = response.content.decode()
    assert "Only your own units are counted." in html
    assert '<th scope="row">Not yet categorised</th>' in html

    client.force_login(people["nv_leader"])
    assert client.get(reverse("incidents:statistics")).context["stats"].total == 1


def test_csv_download(client, reported, people):
    client.force_login(people["admin"])
    year, tertial = _now_tertial()
    response = client.get(reverse("incidents:statistics_csv"), {"year": year, "tertial": tertial})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Section", "Name", "Total", "Open", "Closed"]
    assert ["Summary", "Reported", "4", "", ""] in rows
    assert ["Severity", "Not yet categorised", "3", "2", "1"] in rows
    assert ["Category", "Fire or fire alarm", "2", "1", "1"] in rows


def test_page_without_any_deviation(client, definitions, people):
    client.force_login(people["admin"])
    response = client.get(reverse("incidents:statistics"), {"year": "1999", "tertial": "9"})
    assert response.status_code == 200
    assert response.context["stats"].total == 0
    year, tertial = _now_tertial()  # invalid choices fall back to the current tertial
    assert (response.context["stats"].year, response.context["stats"].tertial) == (year, tertial)
    assert [value for value, _label in response.context["form"].fields["year"].choices] == [year]
