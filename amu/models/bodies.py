"""The committees and their members.

AMU (arbeidsmiljøutvalget) has an equal number of employer and employee
representatives with votes; the occupational health service (BHT), the HSE
section and the student parliament sit without votes; observers may attend.
The chair serves one year at a time, alternates between the sides and has
the casting vote (aml. § 7-1, forskrift om organisering, ledelse og
medvirkning § 3-12); a deputy chair from the other side chairs a meeting
the chair misses. Every member may have a deputy who attends and votes when
the member is absent (forskrift §§ 3-11, 3-15).
The building arm (byggarm) and the local committees (SAMU) are bodies of
their own whose cases can be referred up to AMU (``parent``).
"""

from datetime import date, timedelta

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
    seats_per_side = models.PositiveSmallIntegerField(
        _("voting seats per side"), null=True, blank=True,
        help_text=_("The employer and the employees have this many voting seats each. "
                    "Empty: not fixed."),
    )
    equal_sides = models.BooleanField(
        _("equal sides"), default=True,
        help_text=_("The sides have as many voting seats each (the law's rule for AMU; the "
                    "institution may set otherwise for the building arm)."),
    )
    quorum = models.PositiveSmallIntegerField(
        _("quorum"), null=True, blank=True,
        help_text=_("Voting members who must be present before anything is decided. "
                    "Empty: a majority of the voting members."),
    )
    meetings_per_year = models.PositiveSmallIntegerField(
        _("planned meetings a year"), default=4,
        help_text=_("Normally at least four (forskrift § 3-16)."),
    )

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


class Function(models.TextChoices):
    """Seats the law names (aml. § 7-1, forskrift § 3-7)."""

    TOP_MANAGEMENT = "top_management", _("Top management")
    CHIEF_SAFETY_REPRESENTATIVE = "chief_safety_representative", _(
        "Chief safety representative"
    )
    OCCUPATIONAL_HEALTH = "occupational_health", _("Occupational health service")


# The chair (and the deputy chair) serve one year at a time (forskrift § 3-12).
CHAIR_TERM = timedelta(days=366)


class MemberQuerySet(models.QuerySet):
    def active_on(self, day: date):
        return self.filter(term_start__lte=day).filter(
            Q(term_end__isnull=True) | Q(term_end__gte=day)
        )

    def overlapping(self, start: date, end: date | None):
        return self.filter(term_start__lte=end or date.max).filter(
            Q(term_end__isnull=True) | Q(term_end__gte=start)
        )

    def principals(self):
        """Seats in their own right (not a deputy's)."""
        return self.filter(deputy_for__isnull=True)


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
    deputy_chair = models.BooleanField(
        _("deputy chair"), default=False,
        help_text=_("From the other side than the chair; chairs a meeting the chair misses."),
    )
    deputy_for = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="deputies",
        verbose_name=_("deputy for"),
        help_text=_("A deputy attends and votes when the member is absent."),
    )
    function = models.CharField(
        _("function"), max_length=40, choices=Function.choices, blank=True,
    )
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

    @property
    def is_deputy(self) -> bool:
        return self.deputy_for_id is not None

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
        if self.body_id and self.user_id and self.term_start and not errors and (
            Member.objects.filter(body_id=self.body_id, user_id=self.user_id)
            .exclude(pk=self.pk).overlapping(self.term_start, self.term_end).exists()
        ):
            errors["term_start"] = _(
                "The person already has a seat on this body in this term: end that seat first "
                "(a chair's year is a seat of its own)."
            )
        if (self.chair or self.deputy_chair) and not errors:
            errors.update(self._one_year_errors())
        if self.chair and self.deputy_chair:
            errors["deputy_chair"] = _("The chair cannot also be the deputy chair.")
        if self.deputy_chair and not self.voting:
            errors["deputy_chair"] = _("The deputy chair is a voting member.")
        if self.deputy_for_id and not errors:
            errors.update(self._deputy_errors())
        if self.function and not errors:
            errors.update(self._function_errors())
        if self.chair and not errors and self.body_id and self.term_start:
            errors.update(self._chair_errors())
        if self.deputy_chair and not errors and self.body_id and self.term_start:
            errors.update(self._deputy_chair_errors())
        if (self.voting and self.seats_counted and not errors and self.body_id
                and self.term_start):
            errors.update(self._seat_count_errors())
        if errors:
            raise ValidationError(errors)

    @property
    def seats_counted(self) -> bool:
        """A voting seat of its own (deputies fill in for one)."""
        return self.voting and not self.observer and self.deputy_for_id is None

    def _one_year_errors(self) -> dict:
        if self.term_end is None or self.term_end - self.term_start >= CHAIR_TERM:
            field = "chair" if self.chair else "deputy_chair"
            return {field: _(
                "The chair and the deputy chair serve one year at a time (forskrift § 3-12): "
                "give the end of the term, at most one year after it starts."
            )}
        return {}

    def _deputy_errors(self) -> dict:
        principal = self.deputy_for
        if principal.pk == self.pk or principal.deputy_for_id is not None:
            return {"deputy_for": _("A deputy stands in for a member, not for another deputy.")}
        if principal.body_id != self.body_id:
            return {"deputy_for": _("The deputy and the member sit on the same body.")}
        if not principal.seats_counted:
            return {"deputy_for": _("Only a voting member has a deputy.")}
        if principal.side != self.side:
            return {"side": _("A deputy is from the same side as the member.")}
        if self.chair or self.deputy_chair or self.secretary or self.observer or not self.voting:
            return {"deputy_for": _(
                "A deputy is a voting seat without other roles: it votes when the member is "
                "absent."
            )}
        return {}

    def _function_errors(self) -> dict:
        if self.function == Function.OCCUPATIONAL_HEALTH and (
            self.voting or self.side != Side.NONE
        ):
            return {"function": _(
                "The occupational health service sits without a vote and represents neither "
                "side."
            )}
        if self.function == Function.CHIEF_SAFETY_REPRESENTATIVE and (
            not self.voting or self.side != Side.EMPLOYEE
        ):
            return {"function": _(
                "The chief safety representative is a voting member of the employee side."
            )}
        if self.function == Function.TOP_MANAGEMENT and self.side != Side.EMPLOYER:
            return {"function": _("Top management sits on the employer side.")}
        return {}

    def _deputy_chair_errors(self) -> dict:
        others = Member.objects.filter(body_id=self.body_id).exclude(pk=self.pk).overlapping(
            self.term_start, self.term_end
        )
        if others.filter(deputy_chair=True).exists():
            return {"deputy_chair": _("The body already has a deputy chair in this term.")}
        if others.filter(chair=True, side=self.side).exists():
            return {"side": _("The deputy chair is from the other side than the chair.")}
        return {}

    def _seat_count_errors(self) -> dict:
        seats = Body.objects.filter(pk=self.body_id).values_list(
            "seats_per_side", flat=True
        ).first()
        if not seats:
            return {}
        taken = (
            Member.objects.filter(body_id=self.body_id, side=self.side, voting=True,
                                  observer=False)
            .principals().exclude(pk=self.pk).overlapping(self.term_start, self.term_end)
            .count()
        )
        if taken >= seats:
            return {"side": _(
                "The %(side)s already has its %(seats)s voting seats: the sides are equal."
            ) % {"side": self.get_side_display().lower(), "seats": seats}}
        return {}

    def _chair_errors(self) -> dict:
        """One chair at a time, and the chair alternates between the sides."""
        chairs = Member.objects.filter(body_id=self.body_id, chair=True).exclude(pk=self.pk)
        end = self.term_end or date.max
        overlapping = chairs.filter(term_start__lte=end).filter(
            Q(term_end__isnull=True) | Q(term_end__gte=self.term_start)
        )
        if overlapping.exists():
            return {"chair": _("The body already has a chair in this term.")}
        deputy_chair = Member.objects.filter(body_id=self.body_id, deputy_chair=True).exclude(
            pk=self.pk
        ).overlapping(self.term_start, self.term_end).first()
        if deputy_chair is not None and deputy_chair.side == self.side:
            return {"side": _("The deputy chair is from the other side than the chair.")}
        previous = chairs.filter(term_start__lt=self.term_start).order_by("-term_start").first()
        if previous is not None and previous.side == self.side:
            return {
                "side": _(
                    "The chair alternates between the sides: the previous chair was from "
                    "the %(side)s."
                ) % {"side": previous.get_side_display().lower()}
            }
        # Whichever year is entered first: the next chair counts too.
        following = chairs.filter(term_start__gt=self.term_start).order_by("term_start").first()
        if following is not None and following.side == self.side:
            return {
                "side": _(
                    "The chair alternates between the sides: the next chair is from the "
                    "%(side)s."
                ) % {"side": following.get_side_display().lower()}
            }
        return {}
