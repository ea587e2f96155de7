"""One language per person (språklova § 15).

A signed-in person's language is kept on their profile (org.Profile): it is
the page language on every device and the language of everything sent to
them. The switcher and the e-mail settings page set the same choice. A
language Varde does not speak, from anywhere, is bokmål and never an error.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from notifications.emails import language_of
from notifications.models import Delivery
from org.models import Profile
from org.selectors import language_chosen
from org.services import language_first_choice, language_set

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME


def lang_of_page(client, url="/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.headers["Content-Language"]


def sign_in(client, user) -> None:
    """A real sign-in through the login form, as on a new device."""
    response = client.post(reverse("login"), {
        "username": user.username, "password": "pw-" + user.username,
    })
    assert response.status_code == 302, response.content.decode()[:500]


def test_switching_while_signed_in_is_kept_on_the_profile(client, people):
    user = people["coordinator"]
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "nn", "next": "/"})
    assert Profile.objects.get(user=user).language == "nn"
    assert language_of(user) == "nn"


def test_the_choice_follows_the_person_to_another_device(client, people):
    user = people["coordinator"]
    sign_in(client, user)
    client.post(reverse("set_language"), {"language": "nn", "next": "/"})

    laptop = Client()
    laptop.cookies[COOKIE] = "en"  # this device was last used in English
    sign_in(laptop, user)
    response = laptop.get("/")
    assert response.headers["Content-Language"] == "nn"
    assert '<html lang="nn">' in response.content.decode()
    # The device is brought in line, so it stays nynorsk after signing out.
    assert response.cookies[COOKIE].value == "nn"
    laptop.post(reverse("logout"))
    assert lang_of_page(laptop) == "nn"


def test_the_profile_wins_over_the_cookie_and_accept_language(client, people):
    user = people["coordinator"]
    language_set(user=user, language="en")
    client.force_login(user)
    client.cookies[COOKIE] = "nn"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="nn-NO")
    assert response.headers["Content-Language"] == "en"


def test_without_a_choice_the_cookie_decides(client, people):
    client.force_login(people["coordinator"])
    client.cookies[COOKIE] = "nn"
    assert lang_of_page(client) == "nn"
    assert language_of(people["coordinator"]) == "nb"  # nothing sent in a guess


def test_signing_in_follows_the_cookie_but_stores_nothing(client, people):
    """The device's cookie may be another person's choice (a shared PC): the
    pages follow it, but only a choice made while signed in is the person's."""
    user = people["reporter"]
    client.post(reverse("set_language"), {"language": "nn", "next": "/"})
    sign_in(client, user)
    assert lang_of_page(client) == "nn"
    assert language_chosen(user=user) is None
    client.post(reverse("set_language"), {"language": "nn", "next": "/"})
    user.refresh_from_db()
    assert language_chosen(user=user) == "nn"


def test_signing_in_does_not_overwrite_an_earlier_choice(client, people):
    user = people["reporter"]
    language_set(user=user, language="en")
    client.cookies[COOKIE] = "nn"
    sign_in(client, user)
    assert language_chosen(user=user) == "en"
    assert lang_of_page(client) == "en"


def test_the_e_mail_settings_page_sets_the_same_choice(client, people):
    user = people["coordinator"]
    client.force_login(user)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert '<option value="nn" lang="nn">Norsk nynorsk</option>' in page
    response = client.post(reverse("notifications:preferences"),
                           {"delivery": Delivery.IMMEDIATE, "language": "nn"})
    assert response.status_code == 302
    assert language_chosen(user=user) == "nn"
    assert lang_of_page(client) == "nn"
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert '<option value="nn" lang="nn" selected>Norsk nynorsk</option>' in page


def test_the_e_mail_settings_page_refuses_an_unknown_language(client, people):
    user = people["coordinator"]
    client.force_login(user)
    response = client.post(reverse("notifications:preferences"),
                           {"delivery": Delivery.IMMEDIATE, "language": "xx"})
    assert response.status_code == 200  # the form again, with its error
    assert language_chosen(user=user) is None


# -- bad input: bokmål, never a 500 ---------------------------------------------

@pytest.mark.parametrize("value", ["xx", "de", "nn-XX-YY-ZZ-" + "q" * 40, "../../etc", "", "%00"])
def test_an_unknown_language_in_the_switcher_is_bokmal(client, people, value):
    client.cookies[COOKIE] = "en"
    response = client.post(reverse("set_language"), {"language": value, "next": "/"})
    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "nb"
    assert lang_of_page(client) == "nb"


def test_an_unknown_language_in_the_switcher_signed_in_stores_bokmal(client, people):
    user = people["coordinator"]
    language_set(user=user, language="en")
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "klingon", "next": "/"})
    assert response.status_code == 302
    assert Profile.objects.get(user=user).language == "nb"


def test_the_switcher_without_a_language_or_with_a_foreign_next(client):
    response = client.post(reverse("set_language"), {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get(reverse("set_language")).status_code == 405


@pytest.mark.parametrize("value", ["xx", "de-DE", "nn_NO!", "a" * 300, "\u00e6\u00f8"])
def test_an_unknown_language_in_the_cookie_is_bokmal(client, db, value):
    client.cookies[COOKIE] = value
    assert lang_of_page(client) == "nb"
    assert lang_of_page(client, reverse("incidents:report")) == "nb"


@pytest.mark.parametrize("stored", ["xx", "de", "no", "<script>"])
def test_an_unknown_language_on_the_profile_is_bokmal(client, people, stored):
    user = people["coordinator"]
    Profile.objects.create(user=user, language=stored)
    client.force_login(user)
    client.cookies[COOKIE] = "en"
    assert lang_of_page(client) == "nb"
    assert lang_of_page(client, reverse("notifications:preferences")) == "nb"
    user.refresh_from_db()
    assert language_of(user) == "nb"


def test_first_choice_from_a_sign_in_provider(people):
    """Feide's preferredLanguage sets only a first choice."""
    user = people["reporter"]
    assert language_first_choice(user=user, language="nn-NO") is True
    assert language_chosen(user=user) == "nn"
    assert language_first_choice(user=user, language="en") is False
    assert language_chosen(user=user) == "nn"
    other = people["other_reporter"]
    assert language_first_choice(user=other, language="sv") is False
    assert language_chosen(user=other) is None
