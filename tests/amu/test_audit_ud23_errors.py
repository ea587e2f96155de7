"""Audit (issue 23): "Plan a meeting" sent back with errors leads with an
error summary (focus is moved to it by varde.js) linking each error to its
field, and each field says it is invalid and which error describes it."""

from django.urls import reverse

from tests.forms.markup import error_wiring_problems


def test_meeting_form_sent_back_links_every_error(client, world):
    client.force_login(world.secretary)
    response = client.post(reverse("amu:meeting_create"), {"date": "not a date"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "field-error" in html or "errorlist" in html
    assert error_wiring_problems(html) == []
