"""språklova § 15: a decision letter is written in the applicant's language
when it is decided, records it, and is shown (page and PDF) in that language
to everyone, whatever language the reader's pages are in."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from documents.pdf import pdf_text
from org.services import language_set
from parking.models import Decision
from tests.conftest import make_user
from tests.i18n.nynorsk import assert_nynorsk
from tests.parking.conftest import complete

pytestmark = pytest.mark.django_db

REJECTED = "Your application for near-parking is rejected"


@pytest.fixture
def kari(units):
    return make_user("kari", first_name="Kari", last_name="Nordmann", email="kari@example.no")


def refuse(apply, staff, to_allocation, applicant) -> Decision:
    app = apply(applicant)
    complete(staff["officer"], to_allocation(app, function="0", distance="0").case,
             "allocate", {"allocation_decision": "reject", "decision_reasons": "Too low."})
    return Decision.objects.get(application=app)


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_letter_records_the_applicants_language(apply, kari, staff, to_allocation,
                                                    language):
    language_set(user=kari, language=language)
    assert refuse(apply, staff, to_allocation, kari).language == language


def test_without_a_choice_the_letter_is_in_bokmal(apply, kari, staff, to_allocation):
    assert refuse(apply, staff, to_allocation, kari).language == "nb"


def test_the_letter_is_re_rendered_in_its_own_language(client, apply, kari, staff,
                                                       to_allocation):
    language_set(user=kari, language="en")
    decision = refuse(apply, staff, to_allocation, kari)
    # Kari later switches to bokmål; the officer reads with a bokmål cookie.
    language_set(user=kari, language="nb")
    for reader in (kari, staff["officer"]):
        client.force_login(reader)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
        page = client.get(reverse("parking:letter", args=[decision.pk]))
        assert page["Content-Language"] == "en"
        html = page.content.decode()
        assert '<html lang="en">' in html and REJECTED in html
        pdf = client.get(reverse("parking:letter_pdf", args=[decision.pk]))
        assert REJECTED in " ".join(pdf_text(pdf.content).split())


def test_a_nynorsk_letter_is_in_nynorsk(client, apply, kari, staff, to_allocation):
    """Read by an officer with English pages, the letter is in nynorsk: its
    heading is the nynorsk catalogue's, and no bokmål-only word is left
    (awaits parking/locale/nn: until then Django falls back to bokmål)."""
    language_set(user=kari, language="nn")
    decision = refuse(apply, staff, to_allocation, kari)
    client.force_login(staff["officer"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("parking:letter", args=[decision.pk]))
    with translation.override("nn"):
        heading = gettext(REJECTED)
    assert heading in response.content.decode()
    assert_nynorsk(response, ("Too low.", "Kari Nordmann", "Gløshaugen A", "Gløshaugen"),
                   where="nynorsk letter")


def test_a_stored_language_varde_does_not_speak_is_bokmal(client, apply, kari, staff,
                                                          to_allocation):
    decision = refuse(apply, staff, to_allocation, kari)
    Decision.objects.filter(pk=decision.pk).update(language="xx")
    client.force_login(kari)
    page = client.get(reverse("parking:letter", args=[decision.pk]))
    assert page.status_code == 200 and page["Content-Language"] == "nb"
