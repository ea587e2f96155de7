"""Test 6: superusers and HSE administrators get nothing: every committee
and reporter case URL refuses them, no model is in the Django admin, the ORM
gives them ciphertext only, and decryption without a member key fails."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey

from cases.access import access_case, can_handle_case
from tests.conftest import make_user
from tests.whistleblowing.conftest import start_cases
from whistleblowing import crypto, models
from whistleblowing.services import reporting

pytestmark = pytest.mark.django_db


@pytest.fixture
def a_case(committee, report_form):
    report_form["what_happened"] = "SUPERSECRET text"
    reporting.report_submit(data=report_form)
    start_cases()
    return models.Report.objects.select_related("case").get()


def all_channel_urls(report):
    entry = models.Entry.objects.filter(report=report).first()
    task = report.case.tasks.first()
    committee_urls = [
        reverse("wb_committee:dashboard"), reverse("wb_committee:login"),
        reverse("wb_committee:totp"), reverse("wb_committee:key"),
        reverse("wb_committee:recovery_key_confirm"), reverse("wb_committee:recover"),
        reverse("wb_committee:password"), reverse("wb_committee:members"),
        reverse("wb_committee:audit"), reverse("wb_committee:case", args=[report.uuid]),
        reverse("wb_committee:identity", args=[report.uuid]),
        reverse("wb_committee:grant", args=[report.uuid]),
        reverse("wb_committee:step", args=[report.uuid, task.pk]),
        reverse("wb_committee:attachment", args=[report.uuid, entry.uuid]),
        reverse("wb_committee:decision_case", args=[report.uuid]),
        reverse("wb_committee:recovery_key_renew"),
    ]
    reporter_case_urls = [
        reverse("whistleblowing:case"), reverse("whistleblowing:reply"),
        reverse("whistleblowing:attachment", args=[entry.uuid]),
    ]
    return committee_urls, reporter_case_urls


@pytest.mark.parametrize("who", ["superuser", "hse_admin", "superuser_in_committee_group"])
def test_admins_are_refused_everywhere(a_case, who):
    from org.roles import HSE_ADMIN
    from whistleblowing.roles import COMMITTEE

    if who == "superuser":
        user = make_user("root", is_superuser=True, is_staff=True)
    elif who == "hse_admin":
        user = make_user("hseadmin", roles=[HSE_ADMIN])
    else:
        user = make_user("root2", roles=[COMMITTEE], is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(user)
    committee_urls, reporter_urls = all_channel_urls(a_case)
    for url in committee_urls + reporter_urls:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code in (403, 404, 405), (url, response.status_code)
            assert b"SUPERSECRET" not in response.content
    assert client.get(reverse("cases:detail", args=[a_case.case.reference])).status_code == 404
    assert not can_handle_case(user, a_case.case)
    with pytest.raises(Exception):  # noqa: B017 - Http404
        access_case(user, a_case.case.reference)


def test_no_channel_model_is_in_the_django_admin():
    for model in (models.Report, models.Entry, models.CaseGrant, models.KeyHolder,
                  models.EntryShare, models.AuditEvent):
        assert not admin.site.is_registered(model)


def test_orm_reads_give_only_bytes_and_nothing_decrypts_without_a_member_key(a_case):
    entry = models.Entry.objects.filter(report=a_case, kind="body").get()
    assert b"SUPERSECRET" not in bytes(entry.ct)
    stranger = bytes(PrivateKey.generate())
    with pytest.raises(CryptoError):
        crypto.unseal(stranger, bytes(entry.dek_sealed))
    with pytest.raises(CryptoError):
        crypto.aead_decrypt(crypto.random_key(), bytes(entry.ct), entry.aad())
    grant = models.CaseGrant.objects.filter(report=a_case).first()
    with pytest.raises(CryptoError):
        crypto.unseal(stranger, bytes(grant.sealed_sk))



def test_notification_links_open_the_committee_page(committee, report_form, client):
    """A member's notification leads to the committee's own case page; the
    generic case page would 404 for everyone."""
    from django.urls import reverse

    from cases.access import case_url
    from notifications.models import Notification
    from notifications.services import notify
    from tests.whistleblowing.conftest import start_cases, submit_via_web
    from whistleblowing.models import Report

    submit_via_web(client, report_form)
    start_cases()
    report = Report.objects.get()
    assert case_url(report.case) == reverse("wb_committee:case", args=[report.uuid])
    anna = committee["anna"].user
    notify(users=[anna], kind="new_activity", case=report.case)
    note = Notification.objects.get(user=anna)
    assert report.case.reference not in note.text
    client.force_login(anna)
    response = client.get(reverse("notifications:open", args=[note.pk]))
    assert response.url == reverse("wb_committee:case", args=[report.uuid])
