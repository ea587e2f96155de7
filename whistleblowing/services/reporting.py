"""The anonymous side: submit a report, open it with the receipt, answer.

Nothing here records who the reporter is or when, to the minute, they acted:
no account, IP address, user agent or referrer, and dates instead of times.
The case itself starts later, in a batch (``services.batch``), so no case,
task, event, notification or job row carries the submission's time of day.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from varde.languages import supported
from whistleblowing import conf, crypto, receipts
from whistleblowing.exceptions import ChannelNotReady, ReceiptNotAccepted, TooLarge
from whistleblowing.models import (
    CaseGrant,
    Entry,
    EntryKind,
    HolderRole,
    KeyHolder,
    Report,
    ReportStatus,
    Sender,
)
from whistleblowing.services.audit import REPORTER, audit_append
from whistleblowing.services.content import (
    Opened,
    attachments_create,
    entry_create,
    entry_open,
)
from whistleblowing.services.exclusions import reporter_exclusion_record
from whistleblowing.services.members import active_holders
from whistleblowing.services.retention import keep_open

MIN_RECIPIENTS = 2


@dataclass(frozen=True)
class Submission:
    report: Report
    receipt: str  # as shown: XXXXX-XXXXX-XXXXX-XXXXX


def recipients_for(excluded_holder_id: int | None = None) -> list:
    """The committee members a new report is sealed to; the reporter may
    leave one out (conflict of interest) while at least two remain."""
    holders = list(active_holders(HolderRole.COMMITTEE))
    chosen = [h for h in holders if h.pk != excluded_holder_id]
    if len(chosen) < MIN_RECIPIENTS:
        raise ChannelNotReady()
    return chosen


def check_sizes(uploads, *, already: int = 0) -> None:
    sizes = [upload.size for upload in uploads]
    if any(size > conf.max_file_bytes() for size in sizes):
        raise TooLarge()
    if already + sum(sizes) > conf.max_case_bytes():
        raise TooLarge()


def _reporter_aad(report: Report) -> str:
    return f"case:{report.uuid}:reporter"


@transaction.atomic
def report_submit(*, data: dict, uploads=(), excluded_holder_id: int | None = None,
                  language: str = "") -> Submission:
    """Encrypt and store a report; returns the receipt, shown once.

    ``data`` is the report form's JSON; its optional ``identity`` is stored
    apart from the account of events, as its own encrypted entry.
    ``language``, the language the report was written in, is kept inside the
    encrypted report (never in the clear: a rare language could point to a
    person), so the follow-up pages and the committee can use it.
    """
    data = dict(data)
    identity = (data.pop("identity", "") or "").strip()
    data.pop("language", None)
    if supported(language):
        data["language"] = supported(language)
    holders = recipients_for(excluded_holder_id)
    check_sizes(uploads)

    public_key, case_sk = crypto.generate_keypair()
    receipt = receipts.generate()
    params = conf.receipt_kdf()
    salt = crypto.random_salt()
    report = Report(
        public_key=public_key,
        receipt_lookup=receipts.lookup_hash(receipt),
        receipt_salt=salt,
        receipt_kdf=params.as_json(),
        received_on=timezone.localdate(),
        purge_after=timezone.localdate() + timedelta(days=conf.open_retention_days()),
    )
    report.sk_reporter = crypto.aead_encrypt(
        crypto.derive_key(receipt, salt, params), case_sk, _reporter_aad(report)
    )
    breakglass = conf.breakglass_public_key()
    if breakglass:
        report.sk_breakglass = crypto.seal(breakglass, case_sk)
    report.save()

    today = timezone.localdate()
    CaseGrant.objects.bulk_create([
        CaseGrant(report=report, holder=holder, granted_on=today,
                  sealed_sk=crypto.seal(bytes(holder.public_key), case_sk))
        for holder in holders
    ])
    entry_create(report=report, kind=EntryKind.BODY, data=data, sender=Sender.REPORTER,
                 visible_to_reporter=True)
    if identity:
        entry_create(report=report, kind=EntryKind.IDENTITY, data={"identity": identity},
                     sender=Sender.REPORTER, visible_to_reporter=True)
    attachments_create(report=report, uploads=uploads, sender=Sender.REPORTER)
    audit_append(actor=REPORTER, action="submitted", report=report)
    if excluded_holder_id is not None:
        excluded = KeyHolder.objects.filter(pk=excluded_holder_id,
                                            role=HolderRole.COMMITTEE).first()
        if excluded is not None:
            reporter_exclusion_record(report=report, holder=excluded)
    return Submission(report, receipts.display(receipt))


def report_language(*, report: Report, case_sk: bytes) -> str | None:
    """The language the report was written in (None if not recorded)."""
    body = Entry.objects.filter(report=report, kind=EntryKind.BODY).order_by("seq").first()
    if body is None:
        return None
    return supported(entry_open(body, case_sk).data.get("language"))


def reporter_unlock(*, receipt_text: str) -> tuple[Report, bytes]:
    """The report and its case private key for a typed receipt.

    Every failure (malformed, unknown, one symbol off, another case's
    receipt that somehow matched) raises the same ReceiptNotAccepted, and
    every input takes the same path: normalise, HMAC, one indexed lookup.
    """
    normalized = receipts.normalize(receipt_text)
    lookup = receipts.lookup_hash(normalized)
    report = Report.objects.filter(receipt_lookup=lookup).first()
    if report is None or not receipts.is_well_formed(normalized):
        raise ReceiptNotAccepted()
    key = crypto.derive_key(normalized, bytes(report.receipt_salt),
                            conf.KdfParams.from_json(report.receipt_kdf))
    try:
        case_sk = crypto.aead_decrypt(key, bytes(report.sk_reporter), _reporter_aad(report))
    except crypto.CryptoError:
        raise ReceiptNotAccepted() from None
    return report, case_sk


def case_bytes(report: Report) -> int:
    """Upper bound of stored attachment bytes (files are padded to 64 KiB)."""
    from whistleblowing import storage

    total = 0
    for blob in Entry.objects.filter(report=report, kind=EntryKind.ATTACHMENT).values_list(
        "blob", flat=True
    ):
        path = storage.root() / blob
        total += path.stat().st_size if path.exists() else 0
    return total


def pending_checkin(report: Report) -> Entry | None:
    """The employer's check-in the reporter has not answered yet, if it was
    sent within ``conf.checkin_answer_days()``. Check-ins are the only
    messages decision-makers write, so the entry's sender says what it is."""
    if report.status != ReportStatus.CLOSED:
        return None
    last = Entry.objects.filter(report=report, kind=EntryKind.MESSAGE,
                                sender=Sender.DECISION_MAKER).order_by("-seq").first()
    if last is None or Entry.objects.filter(
        report=report, sender=Sender.REPORTER, seq__gt=last.seq
    ).exists():
        return None
    if (timezone.localdate() - last.sent_on).days > conf.checkin_answer_days():
        return None
    return last


def checkin_answer(*, report: Report, checkin: Entry, text: str, uploads=()) -> Report:
    """The reporter's answer to a check-in: stored in the (closed) case it
    belongs to, shared with the decision-makers who asked, read by the
    committee too; no new case, no new deadlines. Both hear of it at the next
    batch (content-free)."""
    askers = [share.holder for share in checkin.shares.select_related("holder")]
    check_sizes(uploads, already=case_bytes(report))
    if text:
        entry_create(report=report, kind=EntryKind.MESSAGE,
                     data={"text": text, "checkin_answer": True},
                     sender=Sender.REPORTER, visible_to_reporter=True, share_with=askers)
    attachments_create(report=report, uploads=uploads, sender=Sender.REPORTER)
    Report.objects.filter(pk=report.pk).update(
        reporter_activity_unread=True, activity_notice_pending=True,
        employer_notice_pending=bool(askers),
    )
    audit_append(actor=REPORTER, action="checkin_answered", report=report)
    return report


@transaction.atomic
def reporter_post(*, report_id: int, text: str, uploads=(),
                  new_matter: bool = False) -> Report | None:
    """The reporter answers or adds attachments; members hear of it at the
    next batch (a generic notice), and the purge waits until one opens it.

    After the case has closed nothing is stored silently in it. While the
    employer's check-in is waiting for an answer, the message is that answer
    (``checkin_answer``) unless the reporter marks it as something new
    (``new_matter``). Otherwise it goes to the open case linked to it, or
    starts one (for example to report retaliation, aml. § 2 A-4), with its
    own deadlines. Returns the report written to (None when there was
    nothing to write).
    """
    report = Report.objects.select_for_update().get(pk=report_id)
    text = (text or "").strip()
    if not text and not uploads:
        return None
    checkin = None if new_matter else pending_checkin(report)
    if checkin is not None:
        return checkin_answer(report=report, checkin=checkin, text=text, uploads=uploads)
    if report.status == ReportStatus.CLOSED:
        target = report.linked.exclude(status=ReportStatus.CLOSED).order_by("-pk").first()
        if target is None:
            return linked_report_start(parent=report, text=text, uploads=uploads)
        report = Report.objects.select_for_update().get(pk=target.pk)
    check_sizes(uploads, already=case_bytes(report))
    if text:
        entry_create(report=report, kind=EntryKind.MESSAGE, data={"text": text},
                     sender=Sender.REPORTER, visible_to_reporter=True)
    attachments_create(report=report, uploads=uploads, sender=Sender.REPORTER)
    Report.objects.filter(pk=report.pk).update(
        reporter_activity_unread=True, activity_notice_pending=True
    )
    keep_open(report)
    audit_append(actor=REPORTER, action="reporter_wrote", report=report)
    return report


def linked_report_start(*, parent: Report, text: str, uploads=()) -> Report:
    """A new case linked to a closed one, sealed with the same case key (the
    reporter reaches it with the first receipt) to the members holding the
    first case. Its receipt lookup is random: nobody knows a receipt for it."""
    check_sizes(uploads)
    today = timezone.localdate()
    child = Report.objects.create(
        public_key=bytes(parent.public_key),
        receipt_lookup=receipts.lookup_hash(receipts.generate()),
        receipt_salt=bytes(parent.receipt_salt), receipt_kdf=parent.receipt_kdf,
        sk_reporter=bytes(parent.sk_reporter),
        sk_breakglass=bytes(parent.sk_breakglass) if parent.sk_breakglass else None,
        received_on=today, parent=parent,
        purge_after=today + timedelta(days=conf.open_retention_days()),
        reporter_activity_unread=True,
    )
    CaseGrant.objects.bulk_create([
        CaseGrant(report=child, holder=grant.holder, granted_on=today,
                  sealed_sk=bytes(grant.sealed_sk))
        for grant in CaseGrant.objects.filter(report=parent).select_related("holder")
    ])
    for exclusion in parent.exclusions.all():
        exclusion.pk = None
        exclusion.report = child
        exclusion.save()
    entry_create(report=child, kind=EntryKind.BODY,
                 data={"what_happened": text, "linked_to_closed_case": True},
                 sender=Sender.REPORTER, visible_to_reporter=True)
    attachments_create(report=child, uploads=uploads, sender=Sender.REPORTER)
    audit_append(actor=REPORTER, action="linked_case_started", report=child)
    audit_append(actor=REPORTER, action="reporter_wrote_after_closing", report=parent)
    return child


def reporter_entries(*, report: Report, case_sk: bytes) -> list[Opened]:
    """What the reporter sees: their own report and the conversation, then
    those of the cases linked to it (same case key)."""
    entries = Entry.objects.filter(
        report__in=[report.pk, *report.linked.values_list("pk", flat=True)],
        visible_to_reporter=True,
    ).select_related("report").order_by("report_id", "seq")
    return [entry_open(entry, case_sk) for entry in entries]
