from django.db import models
from django.utils.translation import gettext_lazy as _


class IncidentType(models.TextChoices):
    DANGEROUS_CONDITION = "dangerous_condition", _("Dangerous condition or observation")
    NEAR_ACCIDENT = "near_accident", _("Near accident")
    ACCIDENT = "accident", _("Accident")
    IMPROVEMENT = "improvement", _("Improvement proposal")


class Severity(models.TextChoices):
    CRITICAL = "critical", _("Very serious / critical")
    SERIOUS = "serious", _("Serious")
    LESS_SERIOUS = "less_serious", _("Less serious")


class Campus(models.TextChoices):
    TRONDHEIM = "trondheim", "Trondheim"
    GJOVIK = "gjovik", "Gjøvik"
    ALESUND = "alesund", "Ålesund"


class IncidentReport(models.Model):
    """What the reporter wrote. The workflow holds only routing fields.

    An anonymous report has no reporter on its case and stores no IP address,
    user agent or account link; ``reported_on`` is a date, not a time.
    """

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="incident")
    incident_type = models.CharField(_("type"), max_length=30, choices=IncidentType.choices)
    categories = models.JSONField(_("categories"), default=list)
    event_date = models.DateField(_("date of the event"))
    campus = models.CharField(_("campus"), max_length=20, choices=Campus.choices)
    building = models.CharField(_("building"), max_length=100)
    room = models.CharField(_("room"), max_length=50, blank=True)
    description = models.TextField(_("description"))
    immediate_action = models.TextField(_("immediate action taken"), blank=True)
    injury_actual = models.BooleanField(_("someone was injured"), default=False)
    injury_potential = models.BooleanField(_("someone could have been injured"), default=False)
    lost_time = models.BooleanField(_("absence from work or studies"), default=False)
    medical_treatment = models.BooleanField(_("medical treatment"), default=False)
    severity_suggested = models.CharField(
        _("severity suggested by the reporter"), max_length=20, choices=Severity.choices,
        blank=True,
    )
    anonymous = models.BooleanField(_("anonymous"), default=False)
    reported_on = models.DateField(_("reported on"))

    class Meta:
        verbose_name = _("HSE deviation report")
        verbose_name_plural = _("HSE deviation reports")

    def __str__(self):
        return str(self.case)
