"""The accessibility statement: a footer link on every page, to the
institution's statement when one is set, else to Varde's own page of what is
tested and how to report a barrier (in bokmål, nynorsk and English)."""

import re

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

STATEMENT = "https://uustatus.no/nb/erklaringer/publisert/0000-varde"
PAGES = ["home", "login", "incidents:report", "whistleblowing:info", "accessibility"]


def footer_links(response) -> list[str]:
    footer = re.search(r"<footer.*?</footer>", response.content.decode(), re.S)
    assert footer, "the page has no footer"
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', footer.group(0))


@pytest.mark.parametrize("name", PAGES)
def test_every_page_links_vardes_own_page_until_a_statement_is_set(client, name):
    links = footer_links(client.get(reverse(name)))
    assert (reverse("accessibility"), "Accessibility statement") in links


@pytest.mark.parametrize("name", PAGES)
def test_the_institutions_statement_is_linked_once_it_is_set(client, name):
    with override_settings(VARDE_ACCESSIBILITY_STATEMENT_URL=STATEMENT):
        links = footer_links(client.get(reverse(name)))
    assert links == [(STATEMENT, "Accessibility statement")]


def test_the_footer_link_and_the_page_are_in_bokmal(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    page = client.get(reverse("accessibility"))
    assert (reverse("accessibility"), "Tilgjengelighetserklæring") in footer_links(page)
    text = page.content.decode()
    assert "<h1>Tilgjengelighet i Varde</h1>" in text
    assert "Meld fra om en barriere" in text


@pytest.mark.parametrize("name", PAGES)
def test_the_footer_link_and_the_page_are_in_nynorsk(client, name):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    assert (reverse("accessibility"), "Tilgjengeerklæring") in footer_links(
        client.get(reverse(name)))
    text = client.get(reverse("accessibility")).content.decode()
    assert "<h1>Tilgjenge i Varde</h1>" in text
    assert "Meld frå om ein barriere" in text


def test_the_page_says_what_is_tested_and_where_to_report_a_barrier(client):
    text = client.get(reverse("accessibility")).content.decode()
    for tag in ("wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"):
        assert tag in text
    assert "320 CSS pixels" in text
    assert "Report a barrier" in text
    assert "Contact the HSE office at your institution." in text
    assert "mailto:" not in text

    with override_settings(VARDE_ACCESSIBILITY_CONTACT="uu@hms.example.no"):
        text = client.get(reverse("accessibility")).content.decode()
    assert '<a href="mailto:uu@hms.example.no">uu@hms.example.no</a>' in text


def test_the_page_tells_of_the_idle_warning_and_the_known_gaps(client):
    from varde.idle import WARNING_SECONDS
    from whistleblowing import conf

    text = client.get(reverse("accessibility")).content.decode()
    assert WARNING_SECONDS == 120 and "About two minutes before" in text
    assert f"after {conf.REPORTER_IDLE_SECONDS // 60} minutes" in text
    assert f"committee members after {conf.MEMBER_IDLE_SECONDS // 60} minutes" in text
    assert "Stay logged in" in text
    assert '<h2 id="a11y-gaps">Known gaps</h2>' in text
    assert "PDF/UA" in text
