"""Meetings, their agenda (saksliste) and minutes (protokoll), votes, and
members' demands for an extra meeting (forskrift § 3-16: a meeting is held
when two members demand it)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from amu.models.cases import CaseKind


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    PUBLISHED = "published", _("Agenda published")
    HELD = "held", _("Held, minutes awaiting approval")
    APPROVED = "approved", _("Minutes approved")


class Meeting(models.Model):
    body = models.ForeignKey(
        "amu.Body", on_delete=models.PROTECT, related_name="meetings",
        verbose_name=pgettext_lazy("committee", "body"),
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("starts at"), null=True, blank=True)
    location = models.CharField(_("place"), max_length=200, blank=True)
    extra = models.BooleanField(
        _("extra meeting"), default=False,
        help_text=_("Held because two members demanded it."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices,
        default=MeetingStatus.PLANNED,
    )
    agenda_published_at = models.DateTimeField(_("agenda published"), null=True, blank=True)
    attendees = models.ManyToManyField(
        "amu.Member", blank=True, related_name="meetings_attended", verbose_name=_("present")
    )
    seats = models.ManyToManyField(
        "amu.Member", blank=True, related_name="+", verbose_name=_("seats on the day"),
        help_text=_("The body's seats on the meeting's day, stored when the meeting is held: "
                    "the minutes keep their attendance when a seat is edited later."),
    )
    minutes_approved_at = models.DateTimeField(_("minutes approved"), null=True, blank=True)
    minutes_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("minutes approved by"),
    )

    class Meta:
        ordering = ["date", "start_time"]
        constraints = [
            models.UniqueConstraint(fields=["body", "date"], name="amu_one_meeting_per_day"),
        ]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self):
        return f"{self.body} {self.date:%d.%m.%Y}"

    @property
    def agenda_published(self) -> bool:
        return self.status != MeetingStatus.PLANNED

    @property
    def minutes_approved(self) -> bool:
        return self.status == MeetingStatus.APPROVED

    @property
    def seats_recorded(self) -> bool:
        """Held: its seats are stored with it (``seats``)."""
        return self.status in (MeetingStatus.HELD, MeetingStatus.APPROVED)


class DecisionMethod(models.TextChoices):
    CONSENSUS = "consensus", _("Agreement")
    VOTE = "vote", _("Vote")


class Outcome(models.TextChoices):
    ADOPTED = "adopted", _("Adopted")
    REJECTED = "rejected", _("Not adopted")
    NOTED = "noted", _("Taken for information")
    POSTPONED = "postponed", _("Postponed")
    REFERRED = "referred", _("Referred to AMU")


# Outcomes that end a case's handling by the body.
FINAL_OUTCOMES = (Outcome.ADOPTED, Outcome.REJECTED, Outcome.NOTED)


class ReferralReason(models.TextChoices):
    DISAGREEMENT = "disagreement", _("The body disagrees internally")
    PRINCIPLE = "principle", _("A case of principle")


class AgendaItem(models.Model):
    """One case on one meeting's agenda, and what the meeting decided."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    amu_case = models.ForeignKey(
        "amu.AmuCase", on_delete=models.PROTECT, related_name="agenda_items"
    )
    number = models.ForeignKey("amu.CaseNumber", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("type"), max_length=20, choices=CaseKind.choices)
    proposal = models.TextField(_("proposed decision"), blank=True)
    voting_open = models.BooleanField(_("voting open"), default=False)
    method = models.CharField(
        _("decided by"), max_length=20, choices=DecisionMethod.choices, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    decision_text = models.TextField(_("decision"), blank=True)
    majority_view = models.TextField(_("majority view"), blank=True)
    minority_view = models.TextField(_("minority view"), blank=True)
    referral_reason = models.CharField(
        _("reason for referral"), max_length=20, choices=ReferralReason.choices, blank=True
    )
    votes_for = models.PositiveSmallIntegerField(_("votes for"), default=0)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), default=0)
    votes_abstain = models.PositiveSmallIntegerField(_("abstentions"), default=0)
    casting_vote = models.BooleanField(_("decided by the chair's casting vote"), default=False)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "amu_case"], name="amu_case_once_per_meeting"
            ),
        ]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self):
        return f"{self.number.label} {self.amu_case.case.display_title}"

    @property
    def decided(self) -> bool:
        return bool(self.outcome)


class VoteChoice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")


class Vote(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey("amu.Member", on_delete=models.PROTECT, related_name="votes")
    for_member = models.ForeignKey(
        "amu.Member", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("as deputy for"),
    )
    choice = models.CharField(_("vote"), max_length=10, choices=VoteChoice.choices)
    cast_at = models.DateTimeField(_("cast"), auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["member__side", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], name="amu_one_vote_per_member"),
        ]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")

    def __str__(self):
        return f"{self.member}: {self.choice}"


class ExtraMeetingDemand(models.Model):
    """A member demands an extra meeting; the second member's demand starts
    a task for the secretary (``case``)."""

    body = models.ForeignKey("amu.Body", on_delete=models.CASCADE, related_name="demands")
    member = models.ForeignKey("amu.Member", on_delete=models.CASCADE, related_name="demands")
    reason = models.TextField(_("reason"))
    demanded_at = models.DateTimeField(_("demanded"), auto_now_add=True)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="demands"
    )

    class Meta:
        ordering = ["demanded_at", "id"]
        verbose_name = _("demand for an extra meeting")
        verbose_name_plural = _("demands for an extra meeting")

    def __str__(self):
        return f"{self.member}: {self.demanded_at:%Y-%m-%d}"


class ConflictDeclaration(models.Model):
    """A member is a party to a case, or otherwise disqualified, and steps
    aside: they do not vote on it (forvaltningsloven § 6)."""

    amu_case = models.ForeignKey(
        "amu.AmuCase", on_delete=models.CASCADE, related_name="conflicts"
    )
    member = models.ForeignKey("amu.Member", on_delete=models.CASCADE, related_name="conflicts")
    reason = models.TextField(_("reason"))
    declared_at = models.DateTimeField(_("declared"), auto_now_add=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["declared_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["amu_case", "member"], name="amu_one_conflict"),
        ]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")

    def __str__(self):
        return f"{self.member}: {self.amu_case}"


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", _("The Labour Inspection Authority upheld AMU's decision")
    CHANGED = "changed", _("The Labour Inspection Authority changed AMU's decision")
    SET_ASIDE = "set_aside", _("The Labour Inspection Authority set AMU's decision aside")


class EmployerAppeal(models.Model):
    """The employer brought an AMU decision to the Labour Inspection
    Authority (aml. § 7-2 (4)–(5), forskrift § 4-6); AMU is informed and
    the authority's answer recorded."""

    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="appeal")
    brought_on = models.DateField(_("brought to the Labour Inspection Authority on"))
    reference = models.CharField(_("the authority's reference"), max_length=100, blank=True)
    grounds = models.TextField(_("the employer's grounds"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    amu_informed_at = models.DateTimeField(_("AMU informed"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=AppealOutcome.choices, blank=True
    )
    outcome_on = models.DateField(_("date of the answer"), null=True, blank=True)
    outcome_text = models.TextField(_("the authority's answer"), blank=True)

    class Meta:
        verbose_name = _("employer's appeal to the Labour Inspection Authority")
        verbose_name_plural = _("employer's appeals to the Labour Inspection Authority")

    def __str__(self):
        return f"{self.item}: {self.brought_on}"
