"""Every decision letter has the parts forvaltningsloven §§ 24, 25 and 27
ask for, in bokmål and English, read from the PDF: the rules (with the link
and the legal basis), the facts, the main considerations with what the
score's levels mean, the right to appeal with the deadline, the appeal body
and how, and the right to see the documents."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, ngettext

from documents.pdf import pdf_text
from parking.conf import appeal_body_name, rules_url
from parking.models import Decision
from parking.services.applications import appeal_comment_submit, appeal_submit
from tests.conftest import make_user
from tests.parking.conftest import complete, score

pytestmark = pytest.mark.django_db

PARTS = (
    "The rules the decision rests on",
    "The facts of the case",
    "Main considerations",
    "Right to appeal",
    "Right to see the documents",
)


@pytest.fixture
def kari(units):
    return make_user("kari", first_name="Kari", last_name="Nordmann", email="kari@example.no")


def letter_text(client, user, decision, language) -> str:
    # A letter is written in its recipient's language when decided (here: as
    # if the applicant had chosen ``language``); the reader's cookie does not
    # change it (tests/parking/test_letter_language.py).
    Decision.objects.filter(pk=decision.pk).update(language=language)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    response = client.get(reverse("parking:letter_pdf", args=[decision.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return " ".join(pdf_text(response.content).split())


def check_parts(text, decision, language, *, appealable=True):
    with translation.override(language):
        for part in PARTS:
            assert gettext(part) in text, (language, part)
        assert "forvaltningsloven" in text
        assert gettext("What the levels of the score mean:") in text
        assert gettext("0 – no limitation of walking") in text  # a level's meaning
        if appealable:
            assert appeal_body_name() in text
            deadline = formats.date_format(timezone.localtime(decision.appeal_deadline),
                                           "DATE_FORMAT") if decision.appeal_deadline else ""
            assert deadline in text
    assert rules_url()[:40] in text.replace(" ", "")


@pytest.mark.parametrize("language", ["nb", "en"])
def test_refusal_and_waiting_list_letters(client, apply, kari, staff, to_allocation, zones,
                                          language):
    app = apply(kari)
    complete(staff["officer"], to_allocation(app, function="0", distance="0").case,
             "allocate", {"allocation_decision": "reject",
                          "decision_reasons": "A score of 2 does not meet the criteria."})
    refusal = Decision.objects.get(application=app)
    assert refusal.appeal_deadline is not None
    text = letter_text(client, kari, refusal, language)
    check_parts(text, refusal, language)
    assert "A score of 2 does not meet the criteria." in text
    if language == "nb":
        assert "Klagerett" in text and "Søknaden din om nærparkering er avslått" in text

    zones["b"].capacity = 0
    zones["b"].save()
    per = make_user("per", email="per@example.no")
    waiting = apply(per, zone="gloshaugen-b")
    complete(staff["officer"], to_allocation(waiting).case, "allocate",
             {"allocation_decision": "waitlist"})
    decision = Decision.objects.get(application=waiting)
    text = letter_text(client, per, decision, language)
    check_parts(text, decision, language)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_grant_and_partial_grant_letters(client, apply, kari, staff, to_allocation, language):
    app = apply(kari)
    complete(staff["officer"], to_allocation(app).case, "allocate",
             {"allocation_decision": "grant"})
    decision = Decision.objects.get(application=app)
    text = letter_text(client, kari, decision, language)
    check_parts(text, decision, language)

    # A temporary need: a six-month permit, and the letter says why.
    ola = make_user("ola", email="ola@example.no")
    short = apply(ola, zone="gloshaugen-b", duration="temporary")
    complete(staff["officer"], to_allocation(short, temporary=True).case, "allocate",
             {"allocation_decision": "grant"})
    decision = Decision.objects.get(application=short)
    assert decision.assessment.permit_months == 6
    text = letter_text(client, ola, decision, language)
    check_parts(text, decision, language)
    with translation.override(language):
        assert ngettext(
            "The permit is granted for %(months)s month, shorter than the longest term of 12 "
            "months, because your need is temporary.",
            "The permit is granted for %(months)s months, shorter than the longest term of 12 "
            "months, because your need is temporary.", 6,
        ) % {"months": 6} in text


@pytest.mark.parametrize("language", ["nb", "en"])
def test_letters_after_an_appeal(client, apply, kari, staff, to_allocation, language):
    """The first instance's changed decision, and the appeal body's final one."""
    app = apply(kari)
    complete(staff["officer"], to_allocation(app, function="0").case, "allocate",
             {"allocation_decision": "reject", "decision_reasons": "Low score."})
    appeal_submit(actor=kari, application_id=app.pk, grounds="Worse now.", uploads=[],
                  kind="doctor_statement")
    complete(staff["physio2"], app.case, "reassess", score(function="0"))
    complete(staff["officer2"], app.case, "review_appeal",
             {"appeal_review": "forward", "decision_reasons": "Criteria not met."})
    appeal_comment_submit(actor=kari, application_id=app.pk, comment="Nothing to add.")
    complete(staff["board"], app.case, "appeal_body_decision",
             {"appeal_result": "dismissed", "decision_reasons": "The need is not documented."})
    final = Decision.objects.filter(application=app).order_by("-pk").first()
    text = letter_text(client, kari, final, language)
    check_parts(text, final, language, appealable=False)
    assert "The need is not documented." in text
    with translation.override(language):
        assert gettext("Decision on your appeal about near-parking") in text
        assert appeal_body_name() in text
        assert "§ 28" in text


@pytest.mark.parametrize("language", ["nb", "en"])
def test_revocation_and_declined_offer_letters(client, apply, kari, staff, to_allocation,
                                               zones, time_machine, language):
    """Revoking a permit (after notice) and closing an application whose
    offer was declined are decisions with letters too."""
    from datetime import timedelta

    from cases import services
    from parking.models import Offer, Permit
    from tests.parking.conftest import ready

    time_machine.move_to(timezone.now(), tick=False)
    app = apply(kari, zone="kalvskinnet")
    complete(staff["officer"], to_allocation(app).case, "allocate",
             {"allocation_decision": "grant"})
    per = make_user("per", email="per@example.no")
    waiting = apply(per, zone="kalvskinnet")
    complete(staff["officer"], to_allocation(waiting).case, "allocate",
             {"allocation_decision": "waitlist"})
    complete(staff["officer"], app.case, "permit_active", {"revocation_reason": "Unused."})
    permit = Permit.objects.get(application=app)
    time_machine.move_to(permit.revocation_reply_due + timedelta(seconds=1), tick=False)
    services.case_wake(case_id=app.case_id)
    complete(staff["officer"], app.case, "decide_revocation",
             {"revocation_decision": "revoke", "decision_reasons": "Unused since March."})
    revoked = Decision.objects.get(application=app, outcome="revoked")
    text = letter_text(client, kari, revoked, language)
    check_parts(text, revoked, language)
    assert "Unused since March." in text and "§ 16" in text

    offer = Offer.objects.get(application=waiting)
    services.task_complete(actor=staff["officer"], task_id=ready(offer.case, "offer_spot").pk,
                           data={"offer_decision": "decline"})
    declined = Decision.objects.get(application=waiting, outcome="declined")
    text = letter_text(client, per, declined, language)
    check_parts(text, declined, language)
    with translation.override(language):
        assert gettext("Your application for near-parking is closed") in text
