from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.Model):
    """An organisational unit (faculty, department, section) that owns cases."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("parent unit"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self):
        return self.name


class UnitMembership(models.Model):
    """A user belongs to a unit; staff roles act for the units they are members of."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unit_memberships"
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships")
    primary = models.BooleanField(_("primary unit"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="unique_unit_membership"),
        ]
        verbose_name = _("unit membership")
        verbose_name_plural = _("unit memberships")

    def __str__(self):
        return f"{self.user} @ {self.unit}"


class Profile(models.Model):
    """What Varde keeps about a person besides their account: their language.

    One language per person (språklova § 15): the pages when they are signed
    in, on every device, and every e-mail, notification, digest and letter
    sent to them. Blank: not chosen yet (pages follow the browser's language
    cookie or ``Accept-Language``; what is sent is in bokmål).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True,
        help_text=_("Used for the pages and for everything Varde sends you."),
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return f"{self.user_id}: {self.language or '-'}"
