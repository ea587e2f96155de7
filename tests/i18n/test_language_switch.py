"""Norwegian bokmål by default; the switch in the header changes it (to
nynorsk or English), on every page, anonymous ones included."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def home(client, **headers) -> str:
    return client.get(reverse("home"), headers=headers).content.decode()


def test_default_without_a_cookie_is_norwegian(client):
    html = home(client)
    assert '<html lang="nb">' in html
    assert "Meld avvik" in html and "Report an incident" not in html


def test_a_browser_asking_for_norwegian_gets_norwegian(client):
    html = home(client, accept_language="nb-NO,nb;q=0.9,en;q=0.5")
    assert '<html lang="nb">' in html and "Meld avvik" in html


def test_switching_to_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = home(client)
    assert '<html lang="en">' in html
    assert "Report an incident" in html and "Meld avvik" not in html

    client.post(reverse("set_language"), {"language": "nb", "next": "/"})
    html = home(client)
    assert '<html lang="nb">' in html and "Meld avvik" in html


def test_the_switch_is_on_every_page_and_keeps_the_page(client):
    html = client.get(reverse("incidents:report")).content.decode()
    assert f'action="{reverse("set_language")}"' in html
    assert f'name="next" value="{reverse("incidents:report")}"' in html
    # Each language in its own name (språklova § 14: nynorsk beside bokmål).
    assert '<option value="nb" lang="nb" selected>Norsk bokmål</option>' in html
    assert '<option value="nn" lang="nn">Norsk nynorsk</option>' in html
    assert '<option value="en" lang="en">English</option>' in html


def test_switching_while_signed_in(client, people):
    client.force_login(people["coordinator"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = home(client)
    assert "Task queue" in html and "Oppgavekø" not in html


def test_switching_to_nynorsk(client):
    client.post(reverse("set_language"), {"language": "nn", "next": "/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nn"
    html = home(client)
    assert '<html lang="nn">' in html
    assert '<option value="nn" lang="nn" selected>Norsk nynorsk</option>' in html


ANONYMOUS_PAGES = [
    "home", "incidents:report", "login", "accessibility",
    "whistleblowing:info", "whistleblowing:report", "whistleblowing:login",
]


@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_anonymous_pages_offer_nynorsk(client, name, settings):
    settings.VARDE_RECEIPT_PEPPER = "test-pepper-0123456789"
    response = client.get(reverse(name))
    html = response.content.decode()
    assert '<option value="nn" lang="nn">Norsk nynorsk</option>' in html, (name, response)


def test_the_incident_receipt_offers_nynorsk_and_is_in_it(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    page = client.get(reverse("incidents:receipt"), {"ref": "HMS-2026-00001"})
    html = page.content.decode()
    assert page.status_code == 200 and '<html lang="nn">' in html
    assert '<option value="nn" lang="nn" selected>Norsk nynorsk</option>' in html
