"""The whistleblowing channel in nynorsk (språklova § 14), for the reporter
(information, form, receipt, follow-up) and for a committee member
(dashboard, case): no bokmål-only word in Varde's own text
(tests/i18n/nynorsk.py). Awaits whistleblowing/locale/nn and locale/nn."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from org.services import language_set
from tests.i18n.nynorsk import assert_nynorsk, cookie
from tests.whistleblowing.conftest import REPORT, login_member, start_cases
from whistleblowing.models import Report

pytestmark = pytest.mark.django_db

TYPED = (*REPORT.values(), "Anna, psychologist", "Bjørn, sociologist", "Cecilie, lawyer",
         "Dag, leadership", "Anna", "Bjorn", "Cecilie", "Dag", "Erik")


@pytest.fixture(autouse=True)
def bokmal_site(settings):
    # The channel's tests run with English as the site language; nynorsk falls
    # back to the site language, and here that must be bokmål, as in production.
    settings.LANGUAGE_CODE = "nb"


def test_the_reporters_pages(committee, report_form):
    reporter = Client()
    cookie(reporter)
    for name in ("whistleblowing:info", "whistleblowing:report", "whistleblowing:login"):
        assert_nynorsk(reporter.get(reverse(name)), TYPED, where=name)
    receipt_page = reporter.post(reverse("whistleblowing:report"), report_form)
    assert_nynorsk(receipt_page, TYPED, where="receipt")
    receipt = receipt_page.context["receipt"]

    elsewhere = Client()
    elsewhere.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    elsewhere.post(reverse("whistleblowing:login"), {"receipt": receipt})
    assert_nynorsk(elsewhere.get(reverse("whistleblowing:case")), TYPED, where="follow-up")


def test_a_committee_members_pages(committee, report_form):
    Client().post(reverse("whistleblowing:report"), report_form)
    start_cases()
    report = Report.objects.get()
    anna = committee["anna"]
    language_set(user=anna.user, language="nn")
    member = Client()
    login_member(member, anna)
    for url in (reverse("wb_committee:dashboard"),
                reverse("wb_committee:case", args=[report.uuid])):
        assert_nynorsk(member.get(url), (*TYPED, anna.user.username), where=url)
