"""Zones, applications, their documentation, assessments, decisions, offers
and permits.

Health information lives here, never in workflow data: the applicant's own
description of the functional limitation, the uploaded documentation, the
physiotherapist's note and the grounds of an appeal. Those are readable only
through ``parking.access`` (django-guardian object permissions) and every
read is written to ``HealthDataRead``. There is no diagnosis field.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.models import AppendOnly


class Zone(models.Model):
    """A near-parking zone on a campus with a fixed number of spots.

    ``occupied`` counts active permits plus spots held for an open offer. It
    only changes under a row lock (``parking.services.zones.lock_zones``), and
    the database refuses a value above the capacity, so two officers granting
    at the same moment can never overfill a zone. The one exception is
    ``restored``: a permit given back after a revocation was reversed on
    appeal (fvl. § 35) when its spot had been passed on meanwhile.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    campus = models.CharField(_("campus"), max_length=100)
    description = models.CharField(
        _("where"), max_length=300, blank=True,
        help_text=_("Where the zone is, as applicants know it."),
    )
    capacity = models.PositiveIntegerField(_("number of spots"))
    occupied = models.PositiveIntegerField(
        _("spots in use"), default=0, editable=False,
        help_text=_("Active permits plus spots held for an open offer."),
    )
    restored = models.PositiveIntegerField(
        _("spots given back above the number of spots"), default=0, editable=False,
        help_text=_("Permits given back after a revocation was reversed on appeal while "
                    "the spot had been passed on; the next spots freed absorb them."),
    )
    active = models.BooleanField(
        _("open for applications"), default=True,
        help_text=_("A closed zone keeps its permits but takes no new applications."),
    )

    class Meta:
        ordering = ["campus", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(occupied__lte=F("capacity") + F("restored")),
                name="zone_occupied_within_capacity",
            ),
        ]
        verbose_name = _("parking zone")
        verbose_name_plural = _("parking zones")

    def __str__(self):
        return self.name

    @property
    def free(self) -> int:
        return max(self.capacity - self.occupied, 0)


class ApplicantRole(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    STUDENT = "student", _("Student")


class Reason(models.TextChoices):
    HEALTH = "health", _("Health")
    SOCIAL = "social", _("Social")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Being processed")
    AWAITING_DOCUMENTATION = "awaiting_documentation", _("Waiting for documentation")
    INCOMPLETE = "incomplete", _("Closed: documentation not received")
    ASSESSED = "assessed", _("Assessed, waiting for a decision")
    GRANTED = "granted", _("Granted")
    WAITLISTED = "waitlisted", _("On the waiting list")
    OFFERED = "offered", _("A spot is being offered")
    REJECTED = "rejected", _("Rejected")
    APPEALED = "appealed", _("Appeal being assessed")
    REVOKED = "revoked", _("Permit revoked")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Application(models.Model):
    """One application for near-parking in one zone.

    The ranking fields (``priority_group``, ``score``, ``submitted_at``) are
    copied from the latest decided assessment; the waiting list is ordered by
    them (``parking.selectors.waitlist``).
    """

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="parking_applications",
        verbose_name=_("applicant"),
    )
    applicant_role = models.CharField(_("applicant is"), max_length=20,
                                      choices=ApplicantRole.choices)
    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True,
        related_name="parking_application", verbose_name=_("case"),
    )
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="applications",
                             verbose_name=_("zone"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    building = models.CharField(_("building"), max_length=100, blank=True)
    # The functional limitation in the applicant's own words (health data).
    walking_distance_unaided = models.CharField(_("walking distance without aids"),
                                                max_length=20, blank=True)
    walking_distance_with_aids = models.CharField(_("walking distance with aids"),
                                                  max_length=20, blank=True)
    aids = models.JSONField(_("aids used"), default=list, blank=True)
    duration = models.CharField(_("temporary or permanent"), max_length=20, blank=True)
    temporary_until = models.DateField(_("needed until"), null=True, blank=True)
    need_description = models.TextField(_("the need in the applicant's words"), blank=True)
    # Social grounds are read by the case officer (HR function), not health data.
    social_grounds = models.TextField(_("social grounds"), blank=True)
    days_per_week = models.PositiveSmallIntegerField(_("days a week"))
    vehicle_reference = models.CharField(_("car registration or parking agreement"),
                                         max_length=50)
    renewal_of = models.ForeignKey(
        "Permit", on_delete=models.SET_NULL, null=True, blank=True, related_name="renewals",
        verbose_name=_("renewal of permit"),
    )
    submitted_at = models.DateTimeField(_("application date"), db_index=True)
    status = models.CharField(_("status"), max_length=30, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.SUBMITTED, db_index=True)
    priority_group = models.PositiveSmallIntegerField(_("priority group"), null=True,
                                                      blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    health_data_deleted_at = models.DateTimeField(
        _("health information deleted"), null=True, blank=True,
        help_text=_("When the decision was final and the appeal period had passed."),
    )

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["zone", "status"])]
        permissions = [("read_health_data", _("Can read the applicant's health information"))]
        verbose_name = _("near-parking application")
        verbose_name_plural = _("near-parking applications")

    def __str__(self):
        return f"{self.zone} – {self.applicant} ({self.submitted_at:%Y-%m-%d})"


class DocumentKind(models.TextChoices):
    DOCTOR_STATEMENT = "doctor_statement", _("Doctor's statement on function")
    DISABLED_PARKING_CARD = "disabled_parking_card", _("Municipal disabled-parking card")
    OTHER = "other", _("Other documentation")


class ParkingDocument(models.Model):
    """An uploaded file of documentation. Its bytes are in ``DocumentContent``.

    Readable only by holders of the object permission ``read_document``: the
    applicant and the occupational physiotherapists' group. The original file
    name may itself reveal health information, so only they see it too.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="documents")
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        permissions = [("read_document", _("Can read the documentation"))]
        verbose_name = _("documentation file")
        verbose_name_plural = _("documentation files")

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"


class DocumentContent(models.Model):
    """The bytes of one document, apart so that listing documents never loads them.

    Kept in the database, not on disk: the file is stored in the same
    transaction as the application (nothing half-saved after a failure), is
    never served by a static file server, and is backed up with the case.
    """

    document = models.OneToOneField(ParkingDocument, on_delete=models.CASCADE,
                                    primary_key=True, related_name="content")
    data = models.BinaryField()

    def __str__(self):
        return f"content of document {self.document_id}"


class DocumentationRequest(models.Model):
    """A request to the applicant for missing documentation, with its deadline."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="documentation_requests")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("what is missing"))
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    due_at = models.DateTimeField(_("deadline"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"request {self.pk} (application {self.application_id})"


class AssessmentKind(models.TextChoices):
    FUNCTIONAL = "functional", _("Functional assessment (occupational physiotherapist)")
    SOCIAL = "social", _("Assessment of social grounds (HR function)")


class Assessment(models.Model):
    """A scored assessment by the rubric (domain §3): function 0–5, distance
    0–2, days 0–2, +1 for a temporary need after an injury.

    ``round`` 0 is the first assessment, 1 the new assessment after an appeal.
    The scores are visible to the case officer; ``note`` is the
    physiotherapist's own wording and is health information.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="assessments")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    round = models.PositiveSmallIntegerField(_("round"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=AssessmentKind.choices)
    function_score = models.PositiveSmallIntegerField(_("function (0–5)"), default=0)
    distance_score = models.PositiveSmallIntegerField(_("walking distance (0–2)"))
    days_score = models.PositiveSmallIntegerField(_("days a week (0–2)"))
    temporary = models.BooleanField(_("temporary need after an injury (+1)"), default=False)
    total = models.PositiveSmallIntegerField(_("score (0–10)"))
    priority_group = models.PositiveSmallIntegerField(_("priority group"))
    permit_months = models.PositiveSmallIntegerField(_("permit length (months)"))
    note = models.TextField(_("assessment note"), blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(function_score__lte=5),
                                   name="assessment_function_0_5"),
            models.CheckConstraint(condition=Q(distance_score__lte=2),
                                   name="assessment_distance_0_2"),
            models.CheckConstraint(condition=Q(days_score__lte=2), name="assessment_days_0_2"),
            models.CheckConstraint(condition=Q(total__lte=10), name="assessment_total_0_10"),
        ]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self):
        return f"{self.total}/10 (application {self.application_id}, round {self.round})"


class Outcome(models.TextChoices):
    GRANTED = "granted", _("Granted")
    WAITLISTED = "waitlisted", _("Waiting list")
    REJECTED = "rejected", _("Rejected")
    REVOKED = "revoked", _("Permit revoked")
    DECLINED = "declined", _("Offer declined: application closed")


class PermitStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class Permit(models.Model):
    """A near-parking permit: personal, for one zone, at most 12 months.

    A person holds at most one active permit (a database constraint). The
    case in ``case`` runs its lifecycle: renewal reminder, expiry, revocation.
    """

    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="permits")
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="parking_permits", verbose_name=_("holder"))
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="permits",
                             verbose_name=_("zone"))
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    vehicle_reference = models.CharField(_("car registration or parking agreement"),
                                         max_length=50)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    status = models.CharField(_("status"), max_length=20, choices=PermitStatus.choices,
                              default=PermitStatus.ACTIVE, db_index=True)
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)
    renewal_reminded_at = models.DateTimeField(_("renewal reminder sent"), null=True,
                                               blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=20, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    # fvl. § 16: the holder is told in advance why, and may comment by the due date.
    revocation_notice_at = models.DateTimeField(_("advance notice of revocation"), null=True,
                                                blank=True)
    revocation_reply_due = models.DateTimeField(_("comments due"), null=True, blank=True)
    revocation_comment = models.TextField(_("the holder's comment"), blank=True)

    class Meta:
        ordering = ["valid_to", "id"]
        constraints = [
            models.UniqueConstraint(fields=["holder"], condition=Q(status="active"),
                                    name="one_active_permit_per_holder"),
            models.CheckConstraint(condition=Q(valid_to__gte=F("valid_from")),
                                   name="permit_ends_after_it_starts"),
        ]
        verbose_name = _("near-parking permit")
        verbose_name_plural = _("near-parking permits")

    def __str__(self):
        return f"{self.zone}: {self.holder} {self.valid_from}–{self.valid_to}"


class Decision(models.Model):
    """An allocation decision as told to the applicant (the decision letter)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="decisions")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome.choices)
    reasons = models.TextField(_("reasons"), blank=True)
    requested_grant = models.BooleanField(
        default=False, help_text=_("The officer granted, but the zone was full: waitlisted."),
    )
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, null=True,
                                   related_name="+")
    rank = models.PositiveIntegerField(_("place on the waiting list"), null=True, blank=True)
    permit = models.OneToOneField(Permit, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="decision")
    after_appeal = models.BooleanField(_("decided after an appeal"), default=False)
    by_appeal_body = models.BooleanField(_("decided by the appeal body"), default=False)
    appeal_result = models.CharField(_("result of the appeal"), max_length=20, blank=True,
                                     choices=[("reversed", _("Changed by the first instance")),
                                              ("allowed", _("Allowed by the appeal body")),
                                              ("dismissed", _("Not allowed")),
                                              ("not_heard", _("Not heard: too late"))])
    appeal_deadline = models.DateTimeField(_("appeal deadline"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)
    # fvl. § 29: the appeal period runs from when the decision reached the
    # applicant: the e-mail notice, or else their first reading in Varde.
    delivered_at = models.DateTimeField(_("reached the applicant"), null=True, blank=True)
    first_read_at = models.DateTimeField(_("first read by the applicant"), null=True,
                                         blank=True)
    # språklova § 15: the letter is written in the applicant's language when
    # it is decided, and always shown (page and PDF) in that language.
    language = models.CharField(_("language of the letter"), max_length=10,
                                choices=settings.LANGUAGES, blank=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return f"{self.get_outcome_display()} {self.decided_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if not self.language:  # written now: in the applicant's language
            from org.selectors import language_of

            self.language = language_of(user=self.application.applicant)
        super().save(*args, **kwargs)

    @property
    def letter_language(self) -> str:
        from varde.languages import or_default

        return or_default(self.language)


class OfferStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("offer status", "Open")
    ACCEPTED = "accepted", _("Granted")
    DECLINED = "declined", _("Declined")


class Offer(models.Model):
    """A freed spot offered to the highest-ranked waiting application.

    The spot is held (counted in ``Zone.occupied``) while the offer is open,
    so no other grant can take it. ``case`` is the offer's own case, where
    the case officer decides.
    """

    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="offers")
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="offers")
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="parking_offer")
    rank = models.PositiveIntegerField(_("place on the waiting list when offered"))
    status = models.CharField(_("status"), max_length=20, choices=OfferStatus.choices,
                              default=OfferStatus.OPEN)
    offered_at = models.DateTimeField(_("offered"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-offered_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["application"], condition=Q(status="open"),
                                    name="one_open_offer_per_application"),
        ]

    def __str__(self):
        return f"offer {self.pk}: {self.zone} ({self.get_status_display()})"


class Appeal(models.Model):
    """The applicant's appeal; ``grounds`` may contain health information."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="appeals")
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="appeal")
    grounds = models.TextField(_("grounds for the appeal"))
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    # The applicant withdrew it while it was handled: the decision appealed stands.
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    # The case that handles the appeal: the decision's own case, or a case of
    # its own for an appeal after the deadline (fvl. § 31).
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+")
    late = models.BooleanField(_("after the appeal deadline"), default=False)
    forwarded_at = models.DateTimeField(_("sent to the appeal body"), null=True, blank=True)
    statement = models.TextField(_("the first instance's comments"), blank=True)
    # fvl. §§ 17-18: the applicant sees the statement and may answer it
    # before the appeal body decides; may hold health information.
    applicant_comment = models.TextField(_("the applicant's comment on the statement"),
                                         blank=True)
    commented_at = models.DateTimeField(_("commented"), null=True, blank=True)

    def __str__(self):
        return f"appeal of decision {self.decision_id}"


class ReadKind(models.TextChoices):
    DOCUMENT = "document", _("Documentation file")
    APPLICATION = "application", _("Functional limitation described in the application")
    ASSESSMENT_NOTE = "assessment_note", _("Physiotherapist's note")
    APPEAL = "appeal", _("Grounds for an appeal")


class HealthDataRead(AppendOnly, models.Model):
    """Append-only log of every read of health information (GDPR art. 5 (2)
    and 32): who, when, what, and whether access was allowed."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("reader"))
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="reads")
    # SET_NULL: the log outlives the document, which is deleted when the
    # decision is final (``parking.services.retention``); ``document_label``
    # keeps what was read.
    document = models.ForeignKey(ParkingDocument, on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="reads")
    document_label = models.CharField(_("document"), max_length=100, blank=True)
    what = models.CharField(_("what"), max_length=20, choices=ReadKind.choices)
    allowed = models.BooleanField(_("allowed"))

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("read of health information")
        verbose_name_plural = _("reads of health information")

    def __str__(self):
        return f"{self.reader_id} read {self.what} of application {self.application_id}"

