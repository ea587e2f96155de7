"""A browser set to Norwegian gets Norwegian: ``no`` and ``nb`` bokmål,
``nn`` nynorsk; a header Varde cannot use is bokmål, never an error."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("header", ["no,en;q=0.8", "nb-NO,en", "no", "no-NO", "nb"])
def test_bokmal_browsers_get_bokmal(client, header):
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=header)
    assert page.headers["Content-Language"] == "nb"


@pytest.mark.parametrize("header", ["nn-NO,en;q=0.5", "nn", "nn-NO", "nn;q=0.9,nb;q=0.8"])
def test_nynorsk_browsers_get_nynorsk(client, header):
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=header)
    assert page.headers["Content-Language"] == "nn"
    assert '<html lang="nn">' in page.content.decode()


def test_english_browsers_get_english(client):
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert page.headers["Content-Language"] == "en"


@pytest.mark.parametrize("header", [
    "xx-YY", "de-DE,fr;q=0.9", "*", ";;;,,,q=", "en;q=abc", "nn;q=-1", "\u00e6\u00f8\u00e5",
    "x" * 5000, "a" * 100 + "-" + "b" * 100,
])
def test_an_unusable_header_is_bokmal_not_an_error(client, header):
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=header)
    assert page.status_code == 200
    assert page.headers["Content-Language"] == "nb"
