"""The committees and their members.

AMU (arbeidsmiljøutvalget) has an equal number of employer and employee
representatives with votes; the occupational health service (BHT), the HSE
section and the student parliament sit without votes; observers may attend.
The chair alternates between the sides and has the casting vote
(aml. § 7-1, forskrift om organisering, ledelse og medvirkning § 3-7).
The building arm (byggarm) and the local committees (SAMU) are bodies of
their own whose cases can be referred up to AMU (``parent``).
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BodyKind(models.TextChoices):
    AMU = "amu", _("Working environment committee")
    BUILDING_ARM = "building_arm", _("Building arm")
    LOCAL = "local", _("Local working environment committee")


class Site(models.TextChoices):
    GJOVIK = "gjovik", "Gjøvik"
    ALESUND = "alesund", "Ålesund"


class Body(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=BodyKind.choices)
    site = models.CharField(
        _("site"), max_length=20, choices=Site.choices, blank=True,
        help_text=_("Local committees serve one site; its site-specific cases go there."),
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="sub_bodies",
        verbose_name=_("refers cases to"),
        help_text=_("The body that takes over a referred case (for the building arm: AMU)."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = pgettext_lazy("committee", "body")
        verbose_name_plural = _("bodies")

    def __str__(self):
        return self.name


class Side(models.TextChoices):
    EMPLOYER = "employer", _("Employer side")
    EMPLOYEE = "employee", _("Employee side")
    NONE = "none", _("Neither side")


class MemberQuerySet(models.QuerySet):
    def active_on(self, day: date):
        return self.filter(term_start__lte=day).filter(
            Q(term_end__isnull=True) | Q(term_end__gte=day)
        )


class Member(models.Model):
    """One person's seat in one body for one term."""

    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="members",
        verbose_name=pgettext_lazy("committee", "body"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="amu_memberships",
        verbose_name=_("user"),
    )
    side = models.CharField(_("side"), max_length=20, choices=Side.choices)
    represents = models.CharField(
        _("represents"), max_length=200, blank=True,
        help_text=_("For example: the occupational health service, the student parliament."),
    )
    voting = models.BooleanField(_("has a vote"), default=True)
    observer = models.BooleanField(_("observer"), default=False)
    chair = models.BooleanField(_("chair"), default=False)
    secretary = models.BooleanField(_("secretary"), default=False)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["body", "-chair", "side", "user__last_name", "user__username"]
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self):
        return f"{self.display_name} ({self.body})"

    @property
    def display_name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    def is_active_on(self, day: date) -> bool:
        return self.term_start <= day and (self.term_end is None or self.term_end >= day)

    def clean(self):
        errors = {}
        if self.observer and self.voting:
            errors["voting"] = _("An observer has no vote.")
        if self.secretary and self.voting:
            errors["voting"] = _("The secretary has no vote.")
        if self.voting and self.side == Side.NONE:
            errors["side"] = _(
                "A voting member represents the employer or the employees; the occupational "
                "health service and the students sit without a vote."
            )
        if self.chair and not self.voting:
            errors["chair"] = _("The chair is a voting member.")
        if self.term_end and self.term_start and self.term_end < self.term_start:
            errors["term_end"] = _("The term cannot end before it starts.")
        if self.chair and not errors and self.body_id and self.term_start:
            errors.update(self._chair_errors())
        if errors:
            raise ValidationError(errors)

    def _chair_errors(self) -> dict:
        """One chair at a time, and the chair alternates between the sides."""
        chairs = Member.objects.filter(body_id=self.body_id, chair=True).exclude(pk=self.pk)
        end = self.term_end or date.max
        overlapping = chairs.filter(term_start__lte=end).filter(
            Q(term_end__isnull=True) | Q(term_end__gte=self.term_start)
        )
        if overlapping.exists():
            return {"chair": _("The body already has a chair in this term.")}
        previous = chairs.filter(term_start__lt=self.term_start).order_by("-term_start").first()
        if previous is not None and previous.side == self.side:
            return {
                "side": _(
                    "The chair alternates between the sides: the previous chair was from "
                    "the %(side)s."
                ) % {"side": previous.get_side_display().lower()}
            }
        return {}
