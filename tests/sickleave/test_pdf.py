"""The plan as a PDF for the doctor and NAV holds the four parts that
aml. § 4-6 (3) requires, in the reader's language."""

from datetime import date

import pytest
from django.urls import reverse

from documents.pdf import pdf_text
from sickleave import services
from tests.sickleave.conftest import PLAN, oslo

pytestmark = pytest.mark.django_db

SECTIONS = {
    "en": (
        "Assessment of tasks and work capacity",
        "Measures the employer takes",
        "Measures with help from NAV or others",
        "Plan for further follow-up",
    ),
    "nb": (
        "Vurdering av arbeidsoppgaver og arbeidsevne",
        "Tiltak arbeidsgiveren setter i verk",
        "Tiltak med bistand fra NAV eller andre",
        "Plan for videre oppfølging",
    ),
}


@pytest.fixture
def followup(sick, frozen):
    frozen(oslo(2026, 3, 2, 9))
    followup = services.absence_register(actor=sick.leader, employee=sick.employee,
                                         unit=sick.ivt, first_day=date(2026, 3, 2), grade=100)
    services.plan_version_create(actor=sick.leader, followup=followup, data=PLAN)
    return followup


@pytest.mark.parametrize("language", ["en", "nb"])
def test_plan_pdf_has_the_four_required_sections(client, sick, followup, language):
    client.force_login(sick.employee)
    response = client.get(reverse("sickleave:plan_pdf", args=[followup.case.reference, 1]),
                          HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    positions = [text.index(title) for title in SECTIONS[language]]
    assert positions == sorted(positions)  # in the order of the law
    assert "Kari Syk" in text and followup.case.reference in text
    assert "Weekly talk on Mondays" in text and "adjustable desk" in text


@pytest.mark.parametrize("language", ["en", "nb"])
def test_plan_pdf_dates_are_day_first(client, sick, followup, language):
    """2 March 2026 reads 02.03.2026 in both languages, never the American 03/02/2026."""
    client.force_login(sick.employee)
    response = client.get(reverse("sickleave:plan_pdf", args=[followup.case.reference, 1]),
                          HTTP_ACCEPT_LANGUAGE=language)
    text = " ".join(pdf_text(response.content).split())
    assert "02.03.2026" in text
    assert "03/02/2026" not in text and "Mar. 2, 2026" not in text
