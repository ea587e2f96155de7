"""Encrypted entries and attachment files of a report.

Writing needs only the case *public* key: a reporter or member adds an entry
without holding the case private key. Reading needs the case private key (or,
for a decision-maker, a share of the entry's data key).
"""

import base64
import contextlib
import json
import uuid as uuidlib
from dataclasses import dataclass, field
from datetime import date

from django.db.models import F
from django.utils import timezone

from varde.uploads import storing_files
from whistleblowing import crypto, storage
from whistleblowing.models import Entry, EntryKind, EntryShare, KeyHolder, Report


@dataclass
class Opened:
    """A decrypted entry as views show it."""

    entry: Entry
    data: dict = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return self.entry.kind

    @property
    def sent_on(self) -> date:
        return self.entry.sent_on

    @property
    def sender(self) -> str:
        return self.entry.sender


def _next_seq(report: Report) -> int:
    """Reserve the next per-case sequence number (the report row is locked by
    the F() update until the transaction ends)."""
    Report.objects.filter(pk=report.pk).update(next_seq=F("next_seq") + 1)
    return Report.objects.values_list("next_seq", flat=True).get(pk=report.pk) - 1


def entry_create(*, report: Report, kind: str, data: dict, sender: str,
                 author: KeyHolder | None = None, visible_to_reporter: bool = False,
                 blob: str = "", share_with: list[KeyHolder] = (),
                 entry_uuid=None) -> tuple[Entry, bytes]:
    """Encrypt ``data`` under a fresh data key sealed to the case key; returns
    the entry and its data key (for further shares)."""
    dek = crypto.random_key()
    entry = Entry(
        uuid=entry_uuid or uuidlib.uuid4(), report=report, kind=kind, seq=_next_seq(report),
        sent_on=timezone.localdate(),
        sender=sender, author=author, visible_to_reporter=visible_to_reporter,
        dek_sealed=crypto.seal(bytes(report.public_key), dek), blob=blob,
    )
    entry.report = report
    plaintext = crypto.pad(json.dumps(data, ensure_ascii=False).encode())
    entry.ct = crypto.aead_encrypt(dek, plaintext, entry.aad())
    entry.save()
    entry_share(entry=entry, dek=dek, holders=share_with)
    return entry, dek


def entry_share(*, entry: Entry, dek: bytes, holders) -> None:
    today = timezone.localdate()
    for holder in holders:
        EntryShare.objects.get_or_create(
            entry=entry, holder=holder,
            defaults={"dek_sealed": crypto.seal(bytes(holder.public_key), dek),
                      "shared_on": today},
        )


def entry_dek(entry: Entry, case_sk: bytes) -> bytes:
    return crypto.unseal(case_sk, bytes(entry.dek_sealed))


def entry_decrypt(entry: Entry, dek: bytes) -> dict:
    plaintext = crypto.aead_decrypt(dek, bytes(entry.ct), entry.aad())
    return json.loads(crypto.unpad(plaintext).decode())


def entry_open(entry: Entry, case_sk: bytes) -> Opened:
    return Opened(entry, entry_decrypt(entry, entry_dek(entry, case_sk)))


def entry_open_shared(entry: Entry, holder: KeyHolder, holder_sk: bytes) -> Opened:
    share = EntryShare.objects.get(entry=entry, holder=holder)
    dek = crypto.unseal(holder_sk, bytes(share.dek_sealed))
    return Opened(entry, entry_decrypt(entry, dek))


def _file_aad(report: Report, entry_uuid) -> str:
    return f"case:{report.uuid}:file:{entry_uuid}"


def attachment_create(*, report: Report, upload, sender: str, author: KeyHolder | None = None,
                      visible_to_reporter: bool = True) -> Entry:
    """Encrypt an uploaded file to disk (secretstream) and its name, type and
    size into an entry. Nothing of the file is stored in the clear."""
    file_key = crypto.random_key()
    blob = storage.new_name()
    entry_uuid = uuidlib.uuid4()
    size = 0

    def chunks():
        nonlocal size
        for chunk in upload.chunks():
            size += len(chunk)
            yield chunk

    try:
        with storing_files():  # disk full: UploadNotStored, the step rolls back
            storage.write(blob, crypto.stream_encrypt(file_key, chunks(),
                                                      _file_aad(report, entry_uuid)))
    except Exception:
        with contextlib.suppress(OSError):
            storage.shred(blob)  # what was written of it
        raise
    meta = {
        "name": (upload.name or "")[:255],
        "type": (getattr(upload, "content_type", "") or "")[:100],
        "size": size,
        "key": base64.b64encode(file_key).decode(),
    }
    try:
        entry, _dek = entry_create(
            report=report, kind=EntryKind.ATTACHMENT, data=meta, sender=sender, author=author,
            visible_to_reporter=visible_to_reporter, blob=blob, entry_uuid=entry_uuid,
        )
    except Exception:
        storage.shred(blob)
        raise
    return entry


def attachments_create(*, report: Report, uploads, sender: str, **kwargs) -> list[Entry]:
    """``attachment_create`` for each upload. If one cannot be stored, the
    files already written for the others are shredded too: their entries roll
    back with the step, so nothing would ever point to them."""
    entries = []
    try:
        for upload in uploads:
            entries.append(attachment_create(report=report, upload=upload, sender=sender,
                                             **kwargs))
    except Exception:
        for entry in entries:
            with contextlib.suppress(OSError):
                storage.shred(entry.blob)
        raise
    return entries


def attachment_stream(entry: Entry, meta: dict):
    """Yield the plaintext of an attachment; CryptoError if it was altered."""
    key = base64.b64decode(meta["key"])
    with storage.open_blob(entry.blob) as handle:
        yield from crypto.stream_decrypt(key, handle, _file_aad(entry.report, entry.uuid),
                                         int(meta["size"]))
