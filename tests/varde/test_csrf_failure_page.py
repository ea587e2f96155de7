"""A form refused by the CSRF check gets Varde's page (settings.CSRF_FAILURE_VIEW):
in the person's language, with the switcher, no developer text, and on an
anonymous route nothing of the client's Origin or Referer on the page or in
the log."""

import logging

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.i18n.nynorsk import bokmal_words, cookie

pytestmark = pytest.mark.django_db

CANARY = "origin-canary-7b2e"
TITLE = "The form could not be sent"


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_refusal_is_a_varde_page_in_the_persons_language(language):
    device = Client(enforce_csrf_checks=True)
    device.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = device.post(reverse("incidents:report"), {"title": "Loose handrail"})
    assert response.status_code == 403
    page = response.content.decode()
    with translation.override(language):
        assert gettext(TITLE) in page
    assert f'<html lang="{language}">' in page
    assert f'action="{reverse("set_language")}"' in page  # the switcher
    assert "CSRF" not in page and "DEBUG" not in page and "Forbidden" not in page
    # A fresh CSRF cookie comes with the page: sending the form again works.
    assert settings.CSRF_COOKIE_NAME in response.cookies


def test_the_nynorsk_refusal_has_no_bokmal():
    device = Client(enforce_csrf_checks=True)
    cookie(device)
    page = device.post(reverse("incidents:report"), {}).content.decode()
    assert not bokmal_words(page)


@pytest.mark.parametrize("path", ["/hms/avvik/ny/", "/si-fra/logg-inn/"])
def test_an_anonymous_routes_refusal_shows_and_logs_no_client_header(caplog, path):
    device = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.DEBUG):
        response = device.post(path, {"x": "1"}, secure=True,
                               HTTP_ORIGIN=f"https://{CANARY}.example",
                               HTTP_REFERER=f"https://{CANARY}.example/page",
                               HTTP_USER_AGENT=f"{CANARY}-agent")
    assert response.status_code == 403
    with translation.override("nb"):
        assert gettext(TITLE) in response.content.decode()
    assert CANARY not in response.content.decode()
    from varde.anonymity import AnonymousRouteLogFilter

    log_filter = AnonymousRouteLogFilter()
    written = "\n".join(logging.Formatter().format(r) for r in caplog.records
                        if log_filter.filter(r))
    assert CANARY not in written
