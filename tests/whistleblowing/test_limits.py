"""Issue 27, limits that cannot lock out a real reporter or member: a flood
of wrong receipts from many addresses only slows everyone down (a correct
receipt still opens the report); one receipt value tried over and over is
refused; committee sign-in is slowed per account, refused only per
(client, account), so knowing a user name does not lock the member out."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from tests.whistleblowing.conftest import login_member, totp_code, totp_device
from whistleblowing import ratelimit, receipts
from whistleblowing.services import reporting

pytestmark = pytest.mark.django_db


def _client(n: int) -> Client:
    return Client(REMOTE_ADDR=f"203.0.113.{n % 250 + 1}")


def test_a_flood_of_wrong_receipts_slows_but_never_refuses_a_correct_one(
    committee, report_form, settings
):
    settings.VARDE_WB_RECEIPT_GLOBAL_RATE = (20, 15 * 60)
    settings.VARDE_WB_GLOBAL_BRAKE_SECONDS = 0.05
    good = reporting.report_submit(data=report_form).receipt
    url = reverse("whistleblowing:login")
    for n in range(40):  # many addresses, none over its own limit
        response = _client(n).post(url, {"receipt": receipts.display(receipts.generate())})
        assert response.status_code == 200
    started = time.monotonic()
    response = Client(REMOTE_ADDR="198.51.100.7").post(url, {"receipt": good})
    assert response.status_code == 302  # braked, not refused
    assert time.monotonic() - started >= 0.05
    wrong = Client(REMOTE_ADDR="198.51.100.8").post(url, {"receipt": "WRONG"})
    assert wrong.status_code == 200


def test_one_receipt_value_tried_from_many_addresses_is_refused(committee, report_form,
                                                                 settings):
    settings.VARDE_WB_RECEIPT_VALUE_RATE = (5, 15 * 60)
    target = receipts.display(receipts.generate())
    url = reverse("whistleblowing:login")
    for n in range(5):
        assert _client(n).post(url, {"receipt": target}).status_code == 200
    assert _client(99).post(url, {"receipt": target.lower()}).status_code == 429
    good = reporting.report_submit(data=report_form).receipt
    assert _client(100).post(url, {"receipt": good}).status_code == 302


def test_committee_sign_in_is_slowed_per_account_and_never_locked_out(committee, settings):
    settings.VARDE_WB_MEMBER_LOGIN_MAX_DELAY = 0.02
    anna = committee["anna"]
    url = reverse("wb_committee:login")
    for n in range(30):  # someone who knows the user name, from many addresses
        response = _client(n).post(url, {"username": "anna", "password": "guess",
                                         "otp_token": "000000"})
        assert response.status_code == 200
    assert ratelimit.member_login_delay("anna") == 0.02  # slowed, up to the ceiling
    member = Client(REMOTE_ADDR="192.0.2.10")
    login_member(member, anna)  # the member still gets in
    assert ratelimit.member_login_delay("anna") == 0.0


def test_one_client_hammering_one_account_is_refused_only_there(committee, settings):
    settings.VARDE_WB_MEMBER_LOGIN_RATE = (5, 15 * 60)
    settings.VARDE_WB_MEMBER_LOGIN_MAX_DELAY = 0.0
    anna = committee["anna"]
    url = reverse("wb_committee:login")
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    for _ in range(5):
        attacker.post(url, {"username": "anna", "password": "guess", "otp_token": "1"})
    right = {"username": "anna", "password": anna.password,
             "otp_token": totp_code(totp_device(anna.user))}
    assert attacker.post(url, right).status_code == 429
    assert Client(REMOTE_ADDR="192.0.2.11").post(url, right).status_code == 302
