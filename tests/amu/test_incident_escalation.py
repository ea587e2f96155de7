"""An HSE deviation raised with AMU from its case page keeps its link; the
committee's members see it pseudonymised: no reporter name, no free text
unless the secretary writes a summary."""

import pytest
from django.conf import settings

from amu.exceptions import InvalidInput
from amu.models import AmuCase
from amu.services.meetings import agenda_item_add, agenda_publish
from amu.services.submission import amu_case_escalate_incident, amu_case_summary_update
from cases.exceptions import NotAllowed
from incidents.services import incident_report_submit

from .conftest import accept, attend

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def incident(world, people, report_data):
    people["reporter"].first_name, people["reporter"].last_name = "Kari", "Nordmann"
    people["reporter"].save()
    return incident_report_submit(reporter=people["reporter"], data={
        **report_data, "description": "Kari slipped on the wet stairs and hurt her back."})


def test_escalation_from_the_deviation_page_keeps_the_link(world, people, incident, client):
    client.force_login(people["coordinator"])
    page = client.get(f"/saker/sak/{incident.reference}/")
    assert b"Raise the deviation with AMU" in page.content
    response = client.post(f"/amu/avvik/{incident.reference}/til-amu/", {
        "kind": "decision", "description": "Third fall in these stairs this year."})
    assert response.status_code == 302
    amu_case = AmuCase.objects.get(incident_case=incident)
    assert amu_case.case.reporter == people["coordinator"]
    assert amu_case.submitter_role == "hse_staff"
    assert amu_case.case.title == f"HSE deviation {incident.reference} (near accident)"
    assert "Kari" not in amu_case.case.title

    page = client.get(f"/saker/sak/{incident.reference}/")
    assert amu_case.case.reference.encode() in page.content

    again = client.post(f"/amu/avvik/{incident.reference}/til-amu/", {
        "kind": "decision", "description": "Once more."})
    assert again.status_code == 200
    assert b"already before AMU" in again.content


def test_only_staff_who_handle_the_deviation_may_raise_it(world, people, incident, client):
    with pytest.raises(NotAllowed):
        amu_case_escalate_incident(actor=people["nv_coordinator"], incident_case=incident,
                                   data={"kind": "decision", "description": "x"})
    client.force_login(people["reporter"])
    page = client.get(f"/saker/sak/{incident.reference}/")
    assert b"Raise the deviation with AMU" not in page.content
    assert client.get(f"/amu/avvik/{incident.reference}/til-amu/").status_code == 404


def test_members_see_the_deviation_pseudonymised(world, people, incident, client):
    amu_case = amu_case_escalate_incident(
        actor=people["coordinator"], incident_case=incident,
        data={"kind": "decision", "description": "Kari Nordmann fell again, says her leader."})
    amu_case = accept(world, amu_case)
    meeting = world.meetings["amu"]
    agenda_item_add(actor=world.secretary, meeting=meeting, amu_case=amu_case)
    agenda_publish(actor=world.secretary, meeting=meeting)
    attend(world, meeting)
    url = f"/amu/sak/{amu_case.case.reference}/"

    client.force_login(world.users["er1"])
    page = client.get(url).content.decode()
    assert incident.reference in page
    assert "Near accident" in page and "Realfagbygget" in page
    for private in ("Kari", "Nordmann", "slipped", "fell again", "coordinator"):
        assert private not in page, private
    assert "has not yet written a summary" in page

    # The secretary reads the free text, to write the members' summary.
    client.force_login(world.secretary)
    page = client.get(url).content.decode()
    assert "Kari slipped on the wet stairs" in page and "fell again" in page
    amu_case_summary_update(actor=world.secretary, amu_case=amu_case,
                            summary="A fall in a stairwell; the third this year.")

    client.force_login(world.users["er1"])
    page = client.get(url).content.decode()
    assert "A fall in a stairwell; the third this year." in page
    assert "Kari" not in page and "slipped" not in page
    agenda = client.get(f"/amu/moter/{meeting.pk}/").content.decode()
    assert "Kari" not in agenda


def test_a_deviation_at_gjovik_goes_to_samu_gjovik(world, people, report_data):
    incident = incident_report_submit(reporter=people["reporter"],
                                      data={**report_data, "campus": "gjovik"})
    amu_case = amu_case_escalate_incident(actor=people["coordinator"], incident_case=incident,
                                          data={"kind": "information", "description": "FYI"})
    assert accept(world, amu_case).body == world.samu_gjovik


def test_a_closed_escalation_allows_a_new_one(world, people, incident):
    from cases import services

    first = amu_case_escalate_incident(actor=people["coordinator"], incident_case=incident,
                                       data={"kind": "decision", "description": "x"})
    with pytest.raises(InvalidInput):
        amu_case_escalate_incident(actor=people["coordinator"], incident_case=incident,
                                   data={"kind": "decision", "description": "y"})
    services.case_cancel(actor=people["admin"], case_id=first.case.pk, reason="Duplicate")
    amu_case_escalate_incident(actor=people["coordinator"], incident_case=incident,
                               data={"kind": "decision", "description": "y"})


def test_the_title_is_in_each_readers_language(world, people, incident, client):
    """Varde's own title ("HSE deviation … (near accident)") is kept in parts
    and shown in the reader's language, in the AMU pages and the generic ones;
    the stored title stays in the site's language, for search."""
    from django.utils import translation
    from django.utils.translation import gettext

    from org.services import language_set

    amu_case = amu_case_escalate_incident(
        actor=people["coordinator"], incident_case=incident,
        data={"kind": "decision", "description": "Third fall."})
    case = amu_case.case
    with translation.override(settings.LANGUAGE_CODE):  # English in these tests
        assert case.title == case.display_title
    with translation.override("nb"):
        assert case.display_title == f"HMS-avvik {incident.reference} (nestenulykke)"
    assert case.title_params == {"reference": incident.reference,
                                 "incident_type": "near_accident"}
    for language in ("nb", "nn", "en"):
        with translation.override(language):
            expected = (gettext("HSE deviation %(reference)s") % {"reference": incident.reference}
                        + f" ({gettext('Near accident').lower()})")
            assert case.display_title == expected
    with translation.override("en"):
        assert case.display_title == f"HSE deviation {incident.reference} (near accident)"

    language_set(user=world.secretary, language="nn")
    client.force_login(world.secretary)
    with translation.override("nn"):
        nynorsk = case.display_title
    for url in (f"/amu/sak/{case.reference}/", f"/saker/sak/{case.reference}/"):
        page = client.get(url).content.decode()
        assert nynorsk in page and "nestenulykke" not in page, url


def test_a_title_without_a_known_renderer_is_the_stored_one(world, people, incident):
    from cases.titles import render_title

    amu_case = amu_case_escalate_incident(
        actor=people["coordinator"], incident_case=incident,
        data={"kind": "decision", "description": "Third fall."})
    case = amu_case.case
    case.title_key = "gone.renderer"
    assert render_title(case) == case.title
    case.title_key, case.title_params = "amu.incident", {"broken": True}
    assert render_title(case) == case.title


def test_escalations_from_before_get_their_title_parts(world, people, incident):
    from importlib import import_module

    from django.apps import apps

    from cases.models import Case

    amu_case = amu_case_escalate_incident(
        actor=people["coordinator"], incident_case=incident,
        data={"kind": "decision", "description": "Third fall."})
    Case.objects.filter(pk=amu_case.case_id).update(title_key="", title_params={})
    import_module("amu.migrations.0004_escalated_deviation_titles_in_parts").forwards(apps, None)
    case = Case.objects.get(pk=amu_case.case_id)
    assert case.title_key == "amu.incident"
    assert case.title_params == {"reference": incident.reference,
                                 "incident_type": "near_accident"}
