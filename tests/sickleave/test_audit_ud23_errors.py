"""Audit (issue 23): a sick-leave form sent back with errors must say so to a
screen reader: an error summary first (focus is moved to it by varde.js),
each error linked to its field with aria-describedby, the field marked
aria-invalid, and no reference to an id that is not on the page."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from sickleave.forms import CloseForm
from tests.forms.markup import error_wiring_problems

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_register_form_sent_back_links_every_error(client, sick):
    client.force_login(sick.leader)
    response = client.post(reverse("sickleave:register"), {"grade": "300"}, **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert error_wiring_problems(html) == []
    assert 'class="error-summary"' in html


def test_a_radio_group_error_is_linked_from_its_fieldset():
    form = CloseForm({}, prefix="close")
    assert not form.is_valid()
    html = render_to_string("sickleave/_plain_form.html", {"form": form})
    assert error_wiring_problems(html) == []
    assert 'aria-describedby="id_close-reason_error"' in html
