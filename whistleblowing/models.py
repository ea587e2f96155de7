"""Encrypted storage of the whistleblowing channel.

Every column here is either ciphertext (``BinaryField``), a key that is
useless alone (public keys, salts, sealed keys), or content-free metadata:
ids, status codes and **dates** (never a time of day). None of these models is
registered in the Django admin.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import AppendOnly


class HolderRole(models.TextChoices):
    COMMITTEE = "committee", _("Committee member")
    DECISION_MAKER = "decision_maker", _("Employer's decision-maker")


class KeyHolder(models.Model):
    """A committee member's or decision-maker's X25519 key pair.

    The private key is stored only wrapped: ``sk_pw`` under an Argon2id key
    from the password, ``sk_rec`` under the printed recovery key. A password
    set by an administrator unwraps nothing; the holder must enter the
    recovery key.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wb_keyholder"
    )
    role = models.CharField(_("role"), max_length=20, choices=HolderRole.choices)
    public_description = models.CharField(
        _("shown to reporters"), max_length=200, blank=True,
        help_text=_("Name and field, e.g. “Kari Nordmann, psychologist”."),
    )
    public_key = models.BinaryField()
    kdf_salt = models.BinaryField()
    kdf_params = models.JSONField()
    sk_pw = models.BinaryField()
    sk_rec = models.BinaryField()
    created_on = models.DateField()

    class Meta:
        verbose_name = _("key holder")
        verbose_name_plural = _("key holders")

    def __str__(self):
        return f"{self.user} ({self.role})"


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSESSMENT = "assessment", _("Acknowledged, being assessed")
    AWAITING_REPORTER = "awaiting_reporter", _("Waiting for your answer")
    RECOMMENDATION = "recommendation", _("Recommendation sent to the employer")
    FEEDBACK = "feedback", _("Employer has decided; feedback is being prepared")
    CLOSED = "closed", _("Closed")


class Outcome(models.TextChoices):
    OPEN = "", _("Open")
    CLOSED = "closed", _("Closed after assessment")
    NOT_WHISTLEBLOWING = "not_whistleblowing", _("Not a whistleblowing matter")


class Report(models.Model):
    """One report and its case key pair.

    ``case`` is set when the batch job starts the workflow (see
    ``services.batch``), so no case row carries the time of submission.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.OneToOneField(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="wb_report"
    )
    public_key = models.BinaryField()
    receipt_lookup = models.CharField(max_length=64, unique=True)
    receipt_salt = models.BinaryField()
    receipt_kdf = models.JSONField()
    sk_reporter = models.BinaryField()
    sk_breakglass = models.BinaryField(null=True, blank=True)
    status = models.CharField(max_length=30, choices=ReportStatus.choices,
                              default=ReportStatus.RECEIVED)
    received_on = models.DateField()
    ack_due = models.DateField(null=True, blank=True)
    acknowledged_on = models.DateField(null=True, blank=True)
    feedback_due = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, default=Outcome.OPEN,
                               blank=True)
    # Every report has a deletion date: open ones ``conf.open_retention_days``
    # after their last activity, closed ones by the retention policy.
    purge_after = models.DateField(null=True, blank=True)
    # A message the reporter wrote after closing (e.g. retaliation) starts a
    # linked case with the same case key; the reporter reaches it with the
    # first case's receipt.
    parent = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="linked")
    # Reporter wrote or uploaded something no member has opened yet: the
    # purge waits, and the batch job tells the members.
    reporter_activity_unread = models.BooleanField(default=False)
    activity_notice_pending = models.BooleanField(default=False)
    # The reporter answered the employer's check-in: the decision-makers who
    # asked get a content-free notice at the next batch.
    employer_notice_pending = models.BooleanField(default=False)
    next_seq = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("whistleblowing report")
        verbose_name_plural = _("whistleblowing reports")

    def __str__(self):
        return str(self.uuid)


class CaseGrant(models.Model):
    """The case private key sealed to one member's public key."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="grants")
    holder = models.ForeignKey(KeyHolder, on_delete=models.CASCADE, related_name="grants")
    sealed_sk = models.BinaryField()
    granted_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "holder"], name="wb_unique_grant"),
        ]

    def __str__(self):
        return f"grant {self.report_id} → {self.holder_id}"


class ExclusionBy(models.TextChoices):
    REPORTER = "reporter", _("The reporter")
    COMMITTEE = "committee", _("The committee")


class ExclusionReason(models.TextChoices):
    REPORTER_CHOICE = "reporter_choice", _("Chosen by the reporter")
    REPORTED_PERSON = "reported_person", _("Is the reported person or close to them")
    CONFLICT = "conflict", _("Other conflict of interest")
    SELF = "self", _("The member declared themself disqualified")


class Exclusion(models.Model):
    """A key holder kept out of one case for good: no grant, no share, no
    task. It can never be undone (a reporter's choice least of all)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="exclusions")
    holder = models.ForeignKey(KeyHolder, on_delete=models.CASCADE, related_name="exclusions")
    by = models.CharField(max_length=20, choices=ExclusionBy.choices)
    reason = models.CharField(max_length=30, choices=ExclusionReason.choices)
    on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "holder"], name="wb_unique_exclusion"),
        ]

    def __str__(self):
        return f"exclusion {self.report_id} ✕ {self.holder_id}"


class ExclusionRequest(models.Model):
    """A member's proposal to exclude another member from one case. It takes
    effect only when a second member (neither the proposer nor the member
    concerned) approves it, so no member can exclude colleagues alone."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE,
                               related_name="exclusion_requests")
    holder = models.ForeignKey(KeyHolder, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=30, choices=ExclusionReason.choices)
    requested_by = models.ForeignKey(KeyHolder, on_delete=models.CASCADE, related_name="+")
    requested_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "holder"],
                                    name="wb_unique_exclusion_request"),
        ]

    def __str__(self):
        return f"exclusion request {self.report_id} ✕ {self.holder_id}"


class IdentityRequest(models.Model):
    """Revealing the reporter's identity needs two members: one asks, a
    second approves; only then can either of them open it."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="identity_requests")
    requested_by = models.ForeignKey(KeyHolder, on_delete=models.CASCADE, related_name="+")
    requested_on = models.DateField()
    approved_by = models.ForeignKey(KeyHolder, on_delete=models.CASCADE, null=True, blank=True,
                                    related_name="+")
    approved_on = models.DateField(null=True, blank=True)

    def __str__(self):
        return f"identity request {self.report_id}"


class EntryKind(models.TextChoices):
    BODY = "body", _("Report")
    IDENTITY = "identity", _("Identity")
    MESSAGE = "message", _("Message")
    ATTACHMENT = "attachment", _("Attachment")
    RECOMMENDATION = "recommendation", _("Recommendation to the employer")
    DECISION = "decision", _("Employer's decision and measures")
    EMPLOYER_NOTICE = "employer_notice", _("Notice to the employer: no measures recommended")
    HEARING = "hearing", _("Record of hearing the reported person")


class Sender(models.TextChoices):
    REPORTER = "reporter", _("Reporter")
    COMMITTEE = "committee", _("Committee")
    DECISION_MAKER = "decision_maker", _("Employer")


class Entry(models.Model):
    """One encrypted item: ``ct = AEAD(dek, pad(json), aad=case:uuid:kind:entry)``
    with a random ``dek`` sealed to the case public key."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    seq = models.PositiveIntegerField()
    sent_on = models.DateField()
    sender = models.CharField(max_length=20, choices=Sender.choices)
    author = models.ForeignKey(KeyHolder, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")
    visible_to_reporter = models.BooleanField(default=False)
    dek_sealed = models.BinaryField()
    ct = models.BinaryField()
    # Attachments: the random name of the encrypted file (no plaintext name).
    blob = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["seq"]
        constraints = [
            models.UniqueConstraint(fields=["report", "seq"], name="wb_unique_entry_seq"),
        ]

    def __str__(self):
        return f"{self.report_id}#{self.seq} {self.kind}"

    def aad(self) -> str:
        return f"case:{self.report.uuid}:{self.kind}:{self.uuid}"


class EntryShare(models.Model):
    """An entry's data key sealed to one decision-maker: what the committee
    released (its recommendation) and what the employer wrote back."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="shares")
    holder = models.ForeignKey(KeyHolder, on_delete=models.CASCADE, related_name="shares")
    dek_sealed = models.BinaryField()
    shared_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "holder"], name="wb_unique_share"),
        ]

    def __str__(self):
        return f"share {self.entry_id} → {self.holder_id}"


class AuditEvent(AppendOnly, models.Model):
    """Append-only, hash-chained: who (member), what, which case, which day.

    Never content and never reporter network data. ``hash`` covers the
    previous hash and this row's fields, so a changed or deleted row breaks
    the chain (``services.audit.audit_verify``).
    """

    on = models.DateField()
    actor = models.ForeignKey(KeyHolder, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=40)
    report_uuid = models.CharField(max_length=36, blank=True)
    # Each report has its own chain (its uuid), the channel one more (""): a
    # purge deletes a report's whole chain and leaves the others intact.
    chain = models.CharField(max_length=36, blank=True, db_index=True)
    detail = models.CharField(max_length=200, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.on} {self.action}"



class AuditHead(models.Model):
    """The newest hash of one chain; locked while a row is appended."""

    chain = models.CharField(max_length=36, blank=True, unique=True)
    hash = models.CharField(max_length=64)

    def __str__(self):
        return self.hash


class PurgeCounter(models.Model):
    """How many cases the retention job deleted, per year: nothing else."""

    year = models.PositiveIntegerField(unique=True)
    purged = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.purged}"


class BatchSchedule(models.Model):
    """The next batch run (a slot time, unrelated to any reporter action)."""

    next_run = models.DateTimeField(null=True, blank=True)
    last_purge_on = models.DateField(null=True, blank=True)

    def __str__(self):
        return f"next batch {self.next_run}"
