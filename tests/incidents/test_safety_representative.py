"""The safety representative (verneombud): a per-unit role that reads the
area's deviations and the injury register without people or medical
detail, and is told of every accepted accident and serious near-accident in
the area, with the duties the routing table says it starts."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incidents.roles import SAFETY_REPRESENTATIVE
from notifications.models import Delivery, Notification
from notifications.services import preference_update
from org.roles import ROLES, UNIT_CASE_ROLES, UNIT_SCOPED_ROLES
from tests.conftest import make_user
from tests.incidents.conftest import submit_report, work

pytestmark = pytest.mark.django_db

MEDICAL = "Cut to the bone, stitched at the emergency ward"


@pytest.fixture
def reps(units):
    reps = {
        "ivt": make_user("verneombud", roles=[SAFETY_REPRESENTATIVE], units=[units["ivt"]]),
        "nv": make_user("nv_verneombud", roles=[SAFETY_REPRESENTATIVE], units=[units["nv"]]),
    }
    for user in reps.values():  # notifications in English (the msgids)
        preference_update(user=user, delivery=Delivery.IMMEDIATE, language="en")
    return reps


def report(client, people, report_data, **changes):
    return submit_report(client, people["reporter"], {**report_data, **changes})


def accept(client, people, case, severity):
    work(client, people["coordinator"], case, "triage",
         {"triage_decision": "accept", "severity": severity})


def test_the_role_is_per_unit_and_not_a_handler(reps):
    assert SAFETY_REPRESENTATIVE in ROLES and SAFETY_REPRESENTATIVE in UNIT_SCOPED_ROLES
    assert SAFETY_REPRESENTATIVE not in UNIT_CASE_ROLES
    assert Group.objects.filter(name=SAFETY_REPRESENTATIVE).exists()


@pytest.mark.parametrize("incident_type,severity,told,analysis,authorities", [
    ("accident", "critical", True, True, True),
    ("accident", "less_serious", True, False, False),
    ("near_accident", "serious", True, True, False),
    ("near_accident", "less_serious", False, False, False),
    ("dangerous_condition", "serious", False, False, False),
])
def test_told_of_accidents_and_serious_near_accidents_when_accepted(
    client, definitions, people, reps, report_data, incident_type, severity, told, analysis,
    authorities,
):
    case = report(client, people, report_data, incident_type=incident_type,
                  injury_actual=incident_type == "accident", description=MEDICAL)
    assert not Notification.objects.filter(user=reps["ivt"]).exists()  # not before acceptance
    accept(client, people, case, severity)
    notes = list(Notification.objects.filter(user=reps["ivt"], case=case))
    assert len(notes) == int(told)
    assert not Notification.objects.filter(user=reps["nv"]).exists()  # another area
    if told:
        text = notes[0].text
        assert case.reference in text and MEDICAL not in text and "reporter" not in text
        assert ("causal analysis" in text) is analysis
        assert ("Labour Inspection Authority" in text) is authorities


def test_reads_the_areas_deviations_without_people_or_medical_detail(
    client, definitions, people, reps, report_data
):
    ours = report(client, people, report_data, incident_type="accident", injury_actual=True,
                  medical_treatment=True, description=MEDICAL)
    theirs = report(client, people, report_data, unit="nv", title="Spill in the lab")
    client.force_login(reps["ivt"])
    listing = client.get(reverse("incidents:safety_deviations")).content.decode()
    assert ours.reference in listing and theirs.reference not in listing
    page = client.get(reverse("incidents:safety_deviation", args=[ours.reference]))
    html = page.content.decode()
    assert page.status_code == 200
    assert ours.title in html and "Realfagbygget" in html
    for hidden in (MEDICAL, "reporter", "Medical treatment"):
        assert hidden not in html
    # Not their area, and not the handlers' case page.
    assert client.get(reverse("incidents:safety_deviation",
                              args=[theirs.reference])).status_code == 404
    assert client.get(reverse("cases:detail", args=[ours.reference])).status_code == 404
    # Others do not get the page at all.
    client.force_login(people["other_reporter"])
    assert client.get(reverse("incidents:safety_deviations")).status_code == 404


def test_the_injury_register_lists_injuries_of_the_area_only(
    client, definitions, people, reps, report_data
):
    injured = [report(client, people, report_data, incident_type="accident",
                      injury_actual=True, description=MEDICAL) for _ in range(3)]
    uninjured = report(client, people, report_data, injury_actual=False)
    elsewhere = report(client, people, report_data, unit="nv", injury_actual=True)
    client.force_login(reps["ivt"])
    with CaptureQueriesContext(connection) as three:
        html = client.get(reverse("incidents:injury_register")).content.decode()
    for case in injured:
        assert case.reference in html
    assert uninjured.reference not in html and elsewhere.reference not in html
    assert MEDICAL not in html and "reporter" not in html

    more = report(client, people, report_data, injury_actual=True)
    client.force_login(reps["ivt"])
    with CaptureQueriesContext(connection) as four:
        html = client.get(reverse("incidents:injury_register")).content.decode()
    assert more.reference in html
    assert len(four.captured_queries) == len(three.captured_queries)

    client.force_login(people["admin"])
    html = client.get(reverse("incidents:injury_register")).content.decode()
    assert elsewhere.reference in html
    client.force_login(people["other_reporter"])
    assert client.get(reverse("incidents:injury_register")).status_code == 404
