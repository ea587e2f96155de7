"""A browser set to Norwegian (no, nn) gets bokmål, not English."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("header", ["no,en;q=0.8", "nn-NO,en;q=0.5", "nb-NO,en", "no"])
def test_norwegian_browsers_get_bokmal(client, header):
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=header)
    assert page.headers["Content-Language"] == "nb"


def test_english_browsers_get_english(client):
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert page.headers["Content-Language"] == "en"
