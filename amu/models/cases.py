"""A case before AMU (or its building arm or a local committee), its
documents, numbers, information requests, § 18-9 record and follow-up."""

from pathlib import Path
from uuid import uuid4

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from amu.models.bodies import Site


class CaseKind(models.TextChoices):
    DECISION = "decision", _("Decision case")
    INFORMATION = "information", _("Information case")


class SubmitterRole(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    SAFETY_REPRESENTATIVE = "safety_representative", _("Safety representative")
    LEADER = "leader", _("Leader")
    HSE_FORUM = "hse_forum", _("Central HSE forum")
    HSE_SECTION = "hse_section", _("HSE section")
    HSE_STAFF = "hse_staff", _("HSE staff (from a reported deviation)")
    MEMBER = "member", _("Member of the committee")


class AmuCase(models.Model):
    """What was submitted, and where the case stands among the bodies.

    ``body`` is the body handling the case now; a referral from the building
    arm moves it to AMU and the same case continues there.
    """

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="amu")
    kind = models.CharField(_("type"), max_length=20, choices=CaseKind.choices)
    description = models.TextField(_("description"), blank=True)
    submitter_role = models.CharField(
        _("submitted as"), max_length=30, choices=SubmitterRole.choices
    )
    site = models.CharField(
        _("site-specific"), max_length=20, choices=Site.choices, blank=True,
        help_text=_("Empty: the case concerns the whole university or Trondheim."),
    )
    is_building_case = models.BooleanField(_("building case"), default=False)
    needs_consent = models.BooleanField(
        _("needs consent under the Working Environment Act § 18-9"), default=False
    )
    body = models.ForeignKey(
        "amu.Body", on_delete=models.PROTECT, null=True, blank=True, related_name="cases",
        verbose_name=_("handled by"),
    )
    incident_case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True,
        related_name="amu_escalations", verbose_name=_("escalated from the deviation"),
    )
    summary = models.TextField(
        _("summary for the members"), blank=True,
        help_text=_(
            "Written by the secretary for cases from reported deviations: members see this "
            "instead of the report's free text. No names or health information."
        ),
    )
    confidential = models.BooleanField(
        _("confidential"), default=False,
        help_text=_(
            "Personnel or health matters (offentleglova § 13): the text and documents are "
            "shown only to the voting members and the secretary; the public minutes show "
            "the title only."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("AMU case")
        verbose_name_plural = _("AMU cases")

    def __str__(self):
        return str(self.case)

    @property
    def from_incident(self) -> bool:
        return self.incident_case_id is not None


class CaseNumberCounter(models.Model):
    """Last case number given per body and year ("Sak 27/26")."""

    body = models.ForeignKey("amu.Body", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["body", "year"], name="amu_unique_number_counter"),
        ]

    def __str__(self):
        return f"{self.body_id}/{self.year}: {self.last_number}"


class CaseNumber(models.Model):
    """A case's number in one body; kept when the case is postponed."""

    amu_case = models.ForeignKey(AmuCase, on_delete=models.CASCADE, related_name="numbers")
    body = models.ForeignKey("amu.Body", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    number = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["body", "year", "number"], name="amu_unique_number"),
            models.UniqueConstraint(fields=["amu_case", "body"], name="amu_one_number_per_body"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return _("Case %(number)s/%(year)02d") % {"number": self.number, "year": self.year % 100}


class DocumentKind(models.TextChoices):
    PROJECT_DESCRIPTION = "project_description", _(
        "Project description: who will use the building, and how staff and safety "
        "representatives took part"
    )
    PLANS_AND_SECTIONS = "plans_sections", _("Plans and sections")
    FUNCTION_DESCRIPTION = "function_description", _(
        "Function description with its risk assessment"
    )
    INDOOR_CLIMATE = "indoor_climate", _("Indoor climate note (Notat 621)")
    OTHER = "other", _("Other document")


# What the building arm needs before it can give its statement on a § 18-9 case.
CONSENT_DOCUMENTS = (
    DocumentKind.PROJECT_DESCRIPTION,
    DocumentKind.PLANS_AND_SECTIONS,
    DocumentKind.FUNCTION_DESCRIPTION,
    DocumentKind.INDOOR_CLIMATE,
)


class DocumentStorage(FileSystemStorage):
    """Files under VAR_DIR/amu-documents, read from settings on every use
    (tests point VAR_DIR elsewhere). Never served as static media: the
    download view checks access first."""

    @property
    def base_location(self):
        return str(Path(settings.VAR_DIR) / "amu-documents")

    @property
    def location(self):
        return str(Path(self.base_location).resolve())

    @property
    def base_url(self):
        return None


_document_storage = DocumentStorage()


def document_storage():
    return _document_storage


def document_path(instance, filename: str) -> str:
    return f"{instance.amu_case_id}/{uuid4().hex}{Path(filename).suffix.lower()}"


class CaseDocument(models.Model):
    amu_case = models.ForeignKey(AmuCase, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=document_path, storage=document_storage)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return self.title


class InformationRequest(models.Model):
    """The secretary returned the case to the submitter with a question."""

    amu_case = models.ForeignKey(
        AmuCase, on_delete=models.CASCADE, related_name="information_requests"
    )
    question = models.TextField(_("question"))
    deadline = models.DateField(_("answer by"))
    asked_at = models.DateTimeField(_("asked"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    expired = models.BooleanField(_("no answer by the deadline"), default=False)

    class Meta:
        ordering = ["asked_at", "id"]
        verbose_name = _("request for more information")
        verbose_name_plural = _("requests for more information")

    def __str__(self):
        return f"{self.amu_case}: {self.deadline}"


class ConsentAnswer(models.TextChoices):
    CONSENT = "consent", _("Consent")
    CONDITIONS = "conditions", _("Consent with conditions")
    REFUSAL = "refusal", _("Refusal")


class ConsentRecord(models.Model):
    """A § 18-9 case: the statement attached to the application to the
    Labour Inspection Authority (Arbeidstilsynet), and its answer."""

    amu_case = models.OneToOneField(AmuCase, on_delete=models.CASCADE, related_name="consent")
    statement = models.TextField(_("statement"), blank=True)
    statement_item = models.ForeignKey(
        "amu.AgendaItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    application_reference = models.CharField(
        _("consent application reference"), max_length=100, blank=True
    )
    application_sent_on = models.DateField(_("application sent"), null=True, blank=True)
    answer = models.CharField(
        _("answer from the Labour Inspection Authority"), max_length=20,
        choices=ConsentAnswer.choices, blank=True,
    )
    answer_date = models.DateField(_("date of the answer"), null=True, blank=True)
    conditions = models.TextField(_("conditions or reasons"), blank=True)

    class Meta:
        verbose_name = _("§ 18-9 consent record")
        verbose_name_plural = _("§ 18-9 consent records")

    def __str__(self):
        return f"{self.amu_case}: {self.application_reference}"


class ActionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("status of an action", "Open")
    DONE = "done", _("Done")
    NOT_FEASIBLE = "not_feasible", _("Not feasible")


class FollowUpAction(models.Model):
    """An action a decision orders, with an owner and a deadline; the owner
    gets a task and reports it done (or not feasible)."""

    amu_case = models.ForeignKey(AmuCase, on_delete=models.CASCADE, related_name="actions")
    agenda_item = models.ForeignKey(
        "amu.AgendaItem", on_delete=models.CASCADE, related_name="actions"
    )
    title = models.CharField(_("action"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="amu_actions",
        verbose_name=_("owner"),
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    comment = models.TextField(_("comment"), blank=True)
    completed_at = models.DateTimeField(_("reported"), null=True, blank=True)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")

    def __str__(self):
        return self.title
