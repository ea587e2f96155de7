"""Tests 3 and 4: wrong receipts all fail the same way; receipts are
100-bit Crockford base32 strings without bias; typing is forgiving."""

import math
from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse

from whistleblowing import receipts
from whistleblowing.exceptions import ReceiptNotAccepted
from whistleblowing.services import reporting

pytestmark = pytest.mark.django_db


def _mutate(receipt: str) -> str:
    normalized = receipts.normalize(receipt)
    swapped = "1" if normalized[7] != "1" else "2"
    return receipts.display(normalized[:7] + swapped + normalized[8:])


@pytest.fixture
def two_reports(committee, report_form):
    first = reporting.report_submit(data=report_form)
    second = reporting.report_submit(data=report_form)
    return first, second


def wrong_receipts(first) -> dict:
    return {
        "random": receipts.display(receipts.generate()),
        "mutated": _mutate(first.receipt),
        "empty": "",
        "over_long": first.receipt + "-ABCDE",
        "malformed": "<script>alert(1)</script>",
    }


def test_every_wrong_receipt_gets_the_same_answer(two_reports):
    first, second = two_reports
    pages = {}
    for name, text in wrong_receipts(first).items():
        client = Client()
        response = client.post(reverse("whistleblowing:login"), {"receipt": text})
        assert response.status_code == 200, name
        assert "wbr" not in response.cookies, name
        pages[name] = response.content.replace(
            response.cookies["csrftoken"].value.encode() if "csrftoken" in response.cookies
            else b"", b"")
        with pytest.raises(ReceiptNotAccepted):
            reporting.reporter_unlock(receipt_text=text)
    bodies = {_strip_csrf(page) for page in pages.values()}
    assert len(bodies) == 1, "wrong receipts must be indistinguishable"


def _strip_csrf(content: bytes) -> bytes:
    import re

    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


def test_a_receipt_opens_only_its_own_case(two_reports):
    first, second = two_reports
    report, _key = reporting.reporter_unlock(receipt_text=first.receipt)
    assert report == first.report
    report, _key = reporting.reporter_unlock(receipt_text=second.receipt)
    assert report == second.report


def test_typing_is_forgiving(two_reports):
    first, _second = two_reports
    plain = receipts.normalize(first.receipt)
    variants = [
        first.receipt.lower(),
        plain,
        " ".join(plain[i:i + 5] for i in range(0, 20, 5)),
        plain.replace("0", "O").replace("1", "I").lower(),
        plain.replace("1", "L"),
    ]
    for text in variants:
        report, _key = reporting.reporter_unlock(receipt_text=text)
        assert report == first.report, text


def test_receipts_are_unique_well_formed_and_unbiased():
    """10,000 receipts: no duplicates, 20 symbols of the Crockford alphabet,
    and a loose chi-square test on the symbol counts (31 degrees of freedom;
    the 0.9999 quantile is about 67)."""
    made = [receipts.generate() for _ in range(10_000)]
    assert len(set(made)) == len(made)
    assert all(len(r) == 20 and set(r) <= set(receipts.ALPHABET) for r in made)
    counts = Counter("".join(made))
    expected = 20 * len(made) / len(receipts.ALPHABET)
    chi2 = sum((counts[c] - expected) ** 2 / expected for c in receipts.ALPHABET)
    assert chi2 < 67
    assert math.isclose(math.log2(len(receipts.ALPHABET)) * 20, 100)
    assert receipts.display(made[0]).count("-") == 3


def test_the_lookup_needs_the_pepper(settings, two_reports):
    """A database thief without the environment's pepper cannot test guesses."""
    first, _second = two_reports
    settings.VARDE_RECEIPT_PEPPER = "another-pepper"
    with pytest.raises(ReceiptNotAccepted):
        reporting.reporter_unlock(receipt_text=first.receipt)


def test_production_refuses_to_run_without_a_pepper(settings, client, committee):
    settings.VARDE_RECEIPT_PEPPER = ""
    settings.DEBUG = False
    assert client.get(reverse("whistleblowing:info")).status_code == 503
    assert client.get(reverse("wb_committee:login")).status_code == 503
    from whistleblowing.checks import receipt_pepper_set

    assert [e.id for e in receipt_pepper_set(None)] == ["whistleblowing.E001"]
