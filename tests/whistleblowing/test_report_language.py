"""The whistleblower's pages are in the language they reported in (språklova
§ 15), and the committee sees that language, so it can answer in it.

The language is kept inside the encrypted report (never in the clear: a rare
language could point to a person). The receipt is rendered in the reporting
request itself; signing in with the receipt, on any device, sets the language
cookie to the report's language, so the follow-up pages are in it (the switcher
still changes it afterwards). Nynorsk wording is checked in
test_nynorsk_pages.py.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.whistleblowing.conftest import login_member, start_cases, submit_via_web
from whistleblowing.models import Report
from whistleblowing.services import reporting

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME


def report_in(language, report_form) -> tuple[str, Report]:
    device = Client()
    device.cookies[COOKIE] = language
    receipt = submit_via_web(device, report_form)
    return receipt, Report.objects.order_by("-pk").first()


def sign_in_elsewhere(receipt, cookie_language) -> Client:
    device = Client()
    device.cookies[COOKIE] = cookie_language
    response = device.post(reverse("whistleblowing:login"), {"receipt": receipt})
    assert response.status_code == 302, response.content.decode()[:2000]
    return device, response


@pytest.mark.parametrize("language,elsewhere", [("nn", "en"), ("en", "nb"), ("nb", "nn")])
def test_the_follow_up_is_in_the_language_reported_in(committee, report_form, language,
                                                      elsewhere):
    receipt, _report = report_in(language, report_form)
    device, response = sign_in_elsewhere(receipt, elsewhere)
    assert response.cookies[COOKIE].value == language
    page = device.get(reverse("whistleblowing:case"))
    assert page.status_code == 200
    assert f'<html lang="{language}">' in page.content.decode()


def test_the_receipt_is_in_the_language_reported_in(committee, report_form):
    device = Client()
    device.cookies[COOKIE] = "nn"
    response = device.post(reverse("whistleblowing:report"), report_form)
    assert response.status_code == 200
    assert '<html lang="nn">' in response.content.decode()


def test_the_language_is_inside_the_encrypted_report(committee, report_form):
    receipt, report = report_in("nn", report_form)
    _found, case_sk = reporting.reporter_unlock(receipt_text=receipt)
    assert reporting.report_language(report=report, case_sk=case_sk) == "nn"
    assert "nn" not in [str(value) for value in Report.objects.filter(pk=report.pk).values()[0]
                        .values()]


def test_an_unknown_language_is_not_recorded(committee, report_form):
    submission = reporting.report_submit(data={**report_form, "language": "xx"}, language="zz")
    _found, case_sk = reporting.reporter_unlock(receipt_text=submission.receipt)
    assert reporting.report_language(report=submission.report, case_sk=case_sk) is None
    device, response = sign_in_elsewhere(submission.receipt, "en")
    assert COOKIE not in response.cookies  # the device's own language stands
    assert '<html lang="en">' in device.get(reverse("whistleblowing:case")).content.decode()


def test_the_committee_sees_the_language_of_the_report(committee, report_form):
    report_in("nn", report_form)
    start_cases()
    report = Report.objects.get()
    member = Client()
    member.cookies[COOKIE] = "en"
    login_member(member, committee["anna"])
    page = member.get(reverse("wb_committee:case", args=[report.uuid])).content.decode()
    assert "Language of the report" in page and "Norwegian Nynorsk" in page
