"""A report that fails validation comes back with every value kept and each
error next to its field, announced by an error summary."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from cases.models import Case
from tests.web.conftest import report_post

pytestmark = pytest.mark.django_db


def test_invalid_report_keeps_values_and_shows_errors_by_fields(
    client, definitions, people, report_data
):
    post = report_post(report_data)
    post["event_date"] = "2999-01-01"  # in the future
    post["description"] = ""  # required
    post["categories"] = []  # at least one
    post["immediate_action"] = "Taped it off"
    post["severity_suggested"] = "serious"
    response = client.post(reverse("incidents:report"), post)

    assert response.status_code == 200
    assert not Case.objects.exists()
    html = response.content.decode()
    form = response.context["form"]
    assert set(form.errors) == {"event_date", "description", "categories"}

    summary = re.search(r'<div class="error-summary" role="alert".*?</div>', html, re.S).group(0)
    for anchor in ("id_event_date", "id_description", "id_categories_0"):
        assert f'href="#{anchor}"' in summary
    # Each message sits in the field's own block, linked by aria-describedby.
    assert 'id="id_description-error"' in html
    assert re.search(r'<textarea[^>]*aria-describedby="[^"]*id_description-error', html)
    assert 'id="id_event_date-error"' in html

    # Every value the reporter gave is still there.
    assert 'value="Loose handrail in stairwell"' in html
    assert 'value="2999-01-01"' in html
    assert 'value="Realfagbygget"' in html and 'value="A2-30"' in html
    assert "Taped it off</textarea>" in html
    assert re.search(r'value="near_accident"[^>]*checked', html)
    assert re.search(r'value="trondheim"[^>]*checked', html)
    assert re.search(r'value="serious"[^>]*checked', html)
    assert re.search(r'<option value="ivt" selected>', html)
    assert re.search(r'name="injury_potential"[^>]*checked', html)
    assert not re.search(r'name="injury_actual"[^>]*checked', html)


def test_report_page_basics_for_assistive_technology(client, definitions, units):
    html = client.get(reverse("incidents:report")).content.decode()
    assert '<html lang="en">' in html
    assert 'href="#main"' in html and 'id="main"' in html
    # Every input, select and textarea has a label.
    ids = re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*id="([^"]+)"', html)
    assert ids
    for input_id in ids:
        assert f'for="{input_id}"' in html, input_id


def test_norwegian_is_the_default_language(client, db):
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="nb">' in html
