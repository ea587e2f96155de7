"""Audit (issue 23): the near-parking pages as a screen reader and a phone
meet them. The consent box sent back unticked is linked to its error (the
ids match); the decision letter is a full page (viewport, skip link, main,
footer with the accessibility statement) on screen, and only the letter in
the PDF."""

import pytest
from django.urls import reverse

from documents.pdf import pdf_text
from org.services import language_set
from parking.models import Decision
from tests.forms.markup import by_id, control_named, describedby, error_wiring_problems, parse
from tests.parking.conftest import complete
from tests.parking.test_apply_form import FORM, kari  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_unticked_consent_is_linked_to_its_error(client, kari):  # noqa: F811
    client.force_login(kari)
    response = client.post(reverse("parking:apply"), {**FORM, "consent-consent": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert error_wiring_problems(html) == []
    elements = parse(html)
    box = control_named(elements, "consent-consent")
    assert box.attrs.get("aria-invalid") == "true"
    error = by_id(elements, describedby(box)[-1])
    assert "must agree" in error.text


def test_decision_letter_is_a_whole_page_on_screen_and_only_the_letter_in_pdf(
        client, apply, kari, staff, to_allocation):  # noqa: F811
    # The letter is written (and shown) in the applicant's language (§ 15).
    language_set(user=kari, language="en")
    app = apply(kari)
    complete(staff["officer"], to_allocation(app, function="1", distance="0").case,
             "allocate", {"allocation_decision": "reject", "decision_reasons": "Too low."})
    decision = Decision.objects.get(application=app)
    client.force_login(kari)
    html = client.get(reverse("parking:letter", args=[decision.pk])).content.decode()
    elements = parse(html)
    viewport = [e for e in elements if e.tag == "meta" and e.attrs.get("name") == "viewport"]
    assert viewport and "width=device-width" in viewport[0].attrs["content"]
    skip = [e for e in elements if e.tag == "a" and e.has_class("skip-link")]
    assert skip and skip[0].attrs["href"] == "#main"
    assert by_id(elements, "main").tag == "main"
    footer = [e for e in elements if e.tag == "footer"]
    assert footer and "Accessibility statement" in footer[0].text
    assert [e for e in elements if e.tag == "html"][0].attrs.get("lang") == "en"

    text = pdf_text(client.get(reverse("parking:letter_pdf", args=[decision.pk])).content)
    assert "Your application for near-parking is rejected" in text
    assert "Skip to main content" not in text and "Accessibility statement" not in text
