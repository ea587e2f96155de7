"""Test 9: a flipped byte, a ciphertext moved to another row, field or case,
and a truncated or extended attachment all fail with CryptoError."""

import io

import pytest
from nacl.exceptions import CryptoError

from whistleblowing import crypto, storage
from whistleblowing.models import Entry
from whistleblowing.services import reporting
from whistleblowing.services.content import attachment_stream, entry_open

pytestmark = pytest.mark.django_db


class Upload(io.BytesIO):
    def __init__(self, data, name):
        super().__init__(data)
        self.name, self.size, self.content_type = name, len(data), "application/pdf"

    def chunks(self):
        yield self.getvalue()


@pytest.fixture
def two_cases(committee, report_form):
    report_form["identity"] = "Kari Nordmann"
    first = reporting.report_submit(data=report_form, uploads=[
        Upload(b"x" * 200_000, "a.pdf")])
    second = reporting.report_submit(data=report_form)
    keys = {}
    for submission in (first, second):
        report, case_sk = reporting.reporter_unlock(receipt_text=submission.receipt)
        keys[report.pk] = case_sk
    return first.report, second.report, keys


def test_flipped_byte_fails(two_cases):
    first, _second, keys = two_cases
    entry = Entry.objects.get(report=first, kind="body")
    ct = bytearray(bytes(entry.ct))
    ct[40] ^= 0x01
    entry.ct = bytes(ct)
    with pytest.raises(CryptoError):
        entry_open(entry, keys[first.pk])


def test_ciphertext_swapped_between_fields_fails(two_cases):
    first, _second, keys = two_cases
    body = Entry.objects.get(report=first, kind="body")
    identity = Entry.objects.get(report=first, kind="identity")
    body.ct, body.dek_sealed = identity.ct, identity.dek_sealed  # same case key, other row
    with pytest.raises(CryptoError):
        entry_open(body, keys[first.pk])


def test_ciphertext_swapped_between_cases_fails(two_cases):
    first, second, keys = two_cases
    mine = Entry.objects.get(report=first, kind="body")
    theirs = Entry.objects.get(report=second, kind="body")
    mine.ct = theirs.ct
    with pytest.raises(CryptoError):
        entry_open(mine, keys[first.pk])
    mine.dek_sealed = theirs.dek_sealed
    with pytest.raises(CryptoError):
        entry_open(mine, keys[first.pk])


def test_case_key_blob_is_bound_to_its_case(two_cases):
    first, second, _keys = two_cases
    receipt_key = crypto.random_key()
    with pytest.raises(CryptoError):
        crypto.aead_decrypt(receipt_key, bytes(second.sk_reporter), f"case:{first.uuid}:reporter")


def test_truncated_or_extended_attachment_fails(two_cases):
    first, _second, keys = two_cases
    entry = Entry.objects.select_related("report").get(report=first, kind="attachment")
    meta = entry_open(entry, keys[first.pk]).data
    assert b"".join(attachment_stream(entry, meta)) == b"x" * 200_000
    path = storage.root() / entry.blob
    original = path.read_bytes()
    frame = crypto.CHUNK_BYTES + 17
    path.write_bytes(original[: len(original) - frame])  # drop the FINAL frame
    with pytest.raises(CryptoError):
        b"".join(attachment_stream(entry, meta))
    path.write_bytes(original + b"extra")
    with pytest.raises(CryptoError):
        b"".join(attachment_stream(entry, meta))
    flipped = bytearray(original)
    flipped[100] ^= 1
    path.write_bytes(bytes(flipped))
    with pytest.raises(CryptoError):
        b"".join(attachment_stream(entry, meta))


def test_stored_file_size_reveals_only_the_64k_class(two_cases):
    first, _second, _keys = two_cases
    entry = Entry.objects.get(report=first, kind="attachment")
    size = (storage.root() / entry.blob).stat().st_size
    assert (size - 24) % (crypto.CHUNK_BYTES + 17) == 0
