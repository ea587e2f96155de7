"""Sick-leave follow-up: the absence, the plan, meetings, dispatches, reads.

Health data (GDPR art. 9): the fact of the absence, the plan and the minutes
live here, never in workflow data or the audit trail (which hold ids, dates
and codes only). There is no diagnosis field anywhere, and every free-text
field warns against medical details. Every read of a case or plan leaves a
``ReadLogEntry`` the employee can see.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import AppendOnly


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Absent: follow-up running")
    RETURNED = "returned", _("Returned to work")
    CLOSED = "closed", _("Closed")


class ExemptionReason(models.TextChoices):
    """Why a plan or dialogue meeting 1 is obviously unnecessary (NAV-DM1,
    NAV-BROSJ). The last applies to the plan only."""

    RETURNING_SHORTLY = "returning_shortly", _(
        "The employee will soon return to full work without adaptation"
    )
    ADAPTATION_WORKS = "adaptation_works", _(
        "Adaptation is already in place and a quick return is obvious"
    )
    SERIOUS_ILLNESS = "serious_illness", _(
        "Follow-up at the workplace cannot take place now (serious illness)"
    )
    GRADED_DIALOGUE_WORKS = "graded_dialogue_works", _(
        "Partial sick leave where day-to-day dialogue already works"
    )


class Dm1Decision(models.TextChoices):
    HOLD = "hold", _("Hold dialogue meeting 1")
    NOT_EXPEDIENT = "not_expedient", _("Not expedient now (partial absence)")


class ActivityStatus(models.TextChoices):
    IN_ACTIVITY = "in_activity", _("In work-related activity")
    MEDICAL_EXCEPTION = "medical_exception", _(
        "Exception: weighty medical reasons, documented by the doctor"
    )
    WORKPLACE_EXCEPTION = "workplace_exception", _(
        "Exception: activity is impossible at the workplace, documented to NAV"
    )


class FollowUp(models.Model):
    """One sick-leave case: an employee's absence and its follow-up.

    ``case`` is set right after the case starts (the process's first step
    already needs this row, so it exists before the case). The deadlines are
    copied from the ``sickleave.schedule`` operation so that lists and
    statistics are plain queries.
    """

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="sick_leave",
        verbose_name=_("case"),
    )
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sick_leave_followups",
        verbose_name=_("employee"),
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("registered by"),
    )
    first_day = models.DateField(_("first day of absence"))
    status = models.CharField(
        _("status"), max_length=20, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN,
        db_index=True,
    )
    returned_on = models.DateField(_("returned to full work on"), null=True, blank=True)
    continues_until = models.DateTimeField(
        _("a new absence continues the case until"), null=True, blank=True
    )

    plan_due = models.DateTimeField(_("plan due"), null=True, blank=True)
    doctor_due = models.DateTimeField(_("plan due at the doctor"), null=True, blank=True)
    dm1_due = models.DateTimeField(_("dialogue meeting 1 due"), null=True, blank=True)
    activity_due = models.DateTimeField(_("activity requirement due"), null=True, blank=True)
    dm2_due = models.DateTimeField(_("dialogue meeting 2 due"), null=True, blank=True)

    plan_exemption_reason = models.CharField(
        _("plan obviously unnecessary because"), max_length=30,
        choices=ExemptionReason.choices, blank=True,
    )
    plan_exempted_at = models.DateTimeField(_("plan exemption recorded"), null=True, blank=True)
    dm1_decision = models.CharField(
        _("decision on dialogue meeting 1"), max_length=20, choices=Dm1Decision.choices,
        blank=True,
    )
    dm1_decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    activity_status = models.CharField(
        _("activity requirement"), max_length=30, choices=ActivityStatus.choices, blank=True
    )
    activity_recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    dm3_requested_at = models.DateTimeField(
        _("dialogue meeting 3 requested"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-first_day", "-pk"]
        constraints = [
            # A new absence while one is open is a grade change of that one.
            models.UniqueConstraint(
                fields=["employee"], condition=models.Q(status="open"),
                name="one_open_followup_per_employee",
            ),
        ]
        verbose_name = _("sick-leave follow-up")
        verbose_name_plural = _("sick-leave follow-ups")

    def __str__(self):
        return f"{self.case.reference if self.case_id else self.pk}"

    @property
    def current_period(self) -> "AbsencePeriod | None":
        return self.periods.order_by("-starts_on", "-pk").first()

    @property
    def is_open(self) -> bool:
        return self.status == FollowUpStatus.OPEN


class AbsencePeriod(models.Model):
    """A stretch of absence at one grade; a grade change starts a new one."""

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="periods")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)
    grade = models.PositiveSmallIntegerField(
        _("sick-leave grade (%)"), help_text=_("100 = full absence; less = partial absence.")
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(grade__gte=1, grade__lte=100), name="sick_leave_grade_range"
            ),
        ]
        verbose_name = _("absence period")
        verbose_name_plural = _("absence periods")

    def __str__(self):
        return f"{self.starts_on} {self.grade}%"

    @property
    def is_full(self) -> bool:
        return self.grade >= 100


class PlanVersion(models.Model):
    """One version of the follow-up plan with the four parts aml. § 4-6 (3)
    requires. Versions are never changed; an update is a new version."""

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="plan_versions")
    number = models.PositiveIntegerField(_("version"))
    work_capacity = models.TextField(_("Assessment of tasks and work capacity"))
    employer_measures = models.TextField(_("Measures the employer takes"))
    assisted_measures = models.TextField(
        _("Measures with help from NAV or others"), blank=True
    )
    further_follow_up = models.TextField(_("Plan for further follow-up"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed by the employee"), null=True, blank=True)

    class Meta:
        ordering = ["followup", "number"]
        constraints = [
            models.UniqueConstraint(fields=["followup", "number"], name="unique_plan_version"),
        ]
        verbose_name = _("follow-up plan version")
        verbose_name_plural = _("follow-up plan versions")

    def __str__(self):
        return f"{self.followup} v{self.number}"


class PlanComment(models.Model):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.version} comment {self.pk}"


class Recipient(models.TextChoices):
    DOCTOR = "doctor", _("The doctor (sykmelder)")
    NAV = "nav", _("NAV")


class DispatchMethod(models.TextChoices):
    HEALTH_NETWORK = "health_network", _("Electronic message through the health network")
    NAV_DIGITAL = "nav_digital", _("Digitally to NAV (Altinn / nav.no)")
    POST = "post", _("Letter")
    VIA_EMPLOYEE = "via_employee", _("Given to the employee to pass on")
    OTHER = "other", _("Other")


class PlanDispatch(models.Model):
    """The plan sent to the doctor or to NAV: when and how (aml. § 4-6 (3))."""

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="dispatches")
    version = models.ForeignKey(
        PlanVersion, on_delete=models.PROTECT, null=True, related_name="dispatches"
    )
    recipient = models.CharField(_("sent to"), max_length=10, choices=Recipient.choices)
    sent_on = models.DateField(_("sent on"))
    method = models.CharField(_("how"), max_length=20, choices=DispatchMethod.choices)
    meeting_number = models.PositiveSmallIntegerField(null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sent_on", "pk"]
        verbose_name = _("plan sent")
        verbose_name_plural = _("plans sent")

    def __str__(self):
        return f"{self.followup} → {self.recipient} {self.sent_on}"


class NavPlanRequest(models.Model):
    """NAV asked for the follow-up plan (aml. § 4-6 (3): the plan goes to NAV
    whenever NAV asks) by a date NAV gave. Recording it starts the process
    step to send the plan, due at the end of that day."""

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="nav_requests")
    requested_on = models.DateField(_("NAV asked on"))
    due_on = models.DateField(_("NAV's deadline"))
    due_at = models.DateTimeField(_("due"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    dispatch = models.OneToOneField(
        PlanDispatch, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="nav_request", verbose_name=_("plan sent"),
    )

    class Meta:
        ordering = ["requested_on", "pk"]
        verbose_name = _("NAV's request for the plan")
        verbose_name_plural = _("NAV's requests for the plan")

    def __str__(self):
        return f"{self.followup} NAV {self.requested_on} → {self.due_on}"


class Participant(models.TextChoices):
    EMPLOYEE = "employee", _("The employee")
    LEADER = "leader", _("The leader")
    OCCUPATIONAL_HEALTH = "occupational_health", _("Occupational health service (BHT)")
    DOCTOR = "doctor", _("The doctor (sykmelder), with the employee's consent")
    UNION_REP = "union_rep", _("Union representative")
    SAFETY_REP = "safety_rep", _("Safety representative")
    NAV = "nav", _("NAV")


class MeetingOutcome(models.TextChoices):
    HELD = "held", _("Held")
    OBVIOUSLY_UNNECESSARY = "obviously_unnecessary", _("Obviously unnecessary")
    NOT_NEEDED_NAV = "nav_not_needed", _("NAV found no meeting needed")


class Meeting(models.Model):
    """Dialogue meeting 1 (the employer's), 2 or 3 (NAV's)."""

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="meetings")
    number = models.PositiveSmallIntegerField(_("dialogue meeting"))
    planned_on = models.DateField(_("meeting date"), null=True, blank=True)
    participants = models.JSONField(_("participants"), default=list, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=30, choices=MeetingOutcome.choices, blank=True
    )
    unnecessary_reason = models.CharField(
        _("obviously unnecessary because"), max_length=30, choices=ExemptionReason.choices,
        blank=True,
    )
    held_on = models.DateField(_("held on"), null=True, blank=True)
    plan_to_nav_due = models.DateTimeField(_("updated plan due at NAV"), null=True, blank=True)
    # When this round's invitation was recorded (meeting 3 can come again):
    # the plan sent to NAV for it is the one recorded after.
    invited_at = models.DateTimeField(null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    minutes_updated_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["followup", "number"], name="unique_dialogue_meeting"),
        ]
        verbose_name = _("dialogue meeting")
        verbose_name_plural = _("dialogue meetings")

    def __str__(self):
        return f"{self.followup} DM{self.number}"

    @property
    def participant_labels(self) -> list[str]:
        labels = dict(Participant.choices)
        return [str(labels.get(code, code)) for code in self.participants]


class BhtInvitation(models.Model):
    """The occupational health service (BHT) sees a case only while invited."""

    followup = models.ForeignKey(
        FollowUp, on_delete=models.CASCADE, related_name="bht_invitations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("BHT adviser"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["invited_at"]
        verbose_name = _("BHT invitation")
        verbose_name_plural = _("BHT invitations")

    def __str__(self):
        return f"{self.followup}: {self.user}"


class ReadKind(models.TextChoices):
    CASE = "case", _("Case page")
    TASK = "task", _("Task page")
    FOLLOWUP = "followup", _("Follow-up page")
    PLAN = "plan", _("Follow-up plan")
    PLAN_PDF = "plan_pdf", _("Follow-up plan as PDF")
    MINUTES = "minutes", _("Meeting minutes")


class ReadLogEntry(AppendOnly, models.Model):
    """Who read which sick-leave case or plan, and when. Append-only; shown
    to the employee (GDPR art. 5 (2), 32; domain brief §7)."""

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    username = models.CharField(_("user"), max_length=150)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    what = models.CharField(_("what"), max_length=20, choices=ReadKind.choices)
    detail = models.CharField(_("detail"), max_length=50, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("read log entry")
        verbose_name_plural = _("read log")

    def __str__(self):
        return f"{self.username} {self.what} {self.at:%Y-%m-%d %H:%M}"



class Escalation(models.Model):
    """A missed deadline, escalated to the unit's HR advisors once.

    One row per occurrence of a deadline: its name and the moment it fell
    due. A deadline that moves (dialogue meeting 1 after a change to full
    absence) or comes again (the plan to NAV before each dialogue meeting 3)
    is a new occurrence, missed and escalated on its own.
    """

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="escalations")
    deadline = models.CharField(_("deadline"), max_length=30)
    due_at = models.DateTimeField(_("was due"))
    escalated_at = models.DateTimeField(_("escalated"), auto_now_add=True)
    notified = models.PositiveIntegerField(_("HR advisors notified"), default=0)

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(fields=["followup", "deadline", "due_at"],
                                    name="unique_escalation_per_occurrence"),
        ]
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")

    def __str__(self):
        return f"{self.followup} {self.deadline} {self.due_at:%Y-%m-%d}"
