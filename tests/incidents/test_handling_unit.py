"""Which unit handles a report is a setting (where it happened, or the
reporter's own unit), and after a transfer the first unit's coordinator
keeps read access only to what they did (issue 29, § 4)."""

import pytest
from django.urls import reverse

from cases.models import Case
from tests.incidents.conftest import ready, submit_report, work
from tests.web.conftest import report_post

pytestmark = pytest.mark.django_db


def test_by_default_the_unit_chosen_on_the_form_handles_it(
    client, definitions, people, report_data
):
    case = submit_report(client, people["reporter"], {**report_data, "unit": "nv"})
    assert case.unit.code == "nv"


def test_with_the_reporter_rule_the_reporters_own_unit_handles_it(
    client, definitions, people, report_data, settings
):
    settings.VARDE_INCIDENT_UNIT_RULE = "reporter"
    case = submit_report(client, people["reporter"], {**report_data, "unit": "nv"})
    assert case.unit.code == "ivt"  # the reporter belongs to ivt
    assert ready(case, "triage")

    # An anonymous report has no reporter's unit: the form's unit handles it.
    client.logout()
    client.post(reverse("incidents:report"), report_post({**report_data, "unit": "nv"}))
    assert Case.objects.latest("pk").unit.code == "nv"


def test_after_a_transfer_the_first_coordinator_reads_only_their_own_step(
    client, definitions, people, report_data
):
    case = submit_report(client, people["reporter"], report_data)
    triage = work(client, people["coordinator"], case, "triage",
                  {"triage_decision": "transfer", "transfer_to": "nv"})
    assert case.unit.code == "nv"
    client.force_login(people["coordinator"])
    assert client.get(reverse("cases:detail", args=[case.reference])).status_code == 404
    page = client.get(reverse("cases:task", args=[triage.pk]))
    assert page.status_code == 200
    assert page.templates[0].name == "cases/task_owner.html"
    html = page.content.decode()
    assert "Transfer to another unit" in html  # what they decided
    assert report_data["description"] not in html
    nv_triage = ready(case, "triage")
    assert client.get(reverse("cases:task", args=[nv_triage.pk])).status_code == 404
