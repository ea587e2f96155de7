"""Process definitions, cases, the task mirror and the audit trail.

Only ``cases.services`` writes ``Case`` and ``Task`` rows.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Case.current_step holds the open steps' BPMN names joined by this.
STEP_SEPARATOR = "\n"


class AppendOnly:
    """Mixin for audit and read logs: a row is written once, never changed or
    deleted through the ORM (a case's purge deletes its trail by cascade)."""

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError(f"{self._meta.verbose_name} rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(f"{self._meta.verbose_name} rows are append-only.")


class ProcessDefinition(models.Model):
    """One version of one BPMN process, with its DMN tables and form schemas.

    The parsed spec is stored once per version (``spec_json``); cases keep only
    their instance state.
    """

    process_id = models.CharField(_("process id"), max_length=100)
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    content_hash = models.CharField(_("content hash"), max_length=64)
    bpmn_file = models.CharField(_("BPMN file"), max_length=200)
    sources = models.JSONField(_("source files"), default=dict)
    spec_json = models.TextField(_("serialized spec"))
    forms = models.JSONField(_("form schemas"), default=dict)
    reference_prefix = models.CharField(_("reference prefix"), max_length=10)
    confidential = models.BooleanField(
        _("confidential"), default=False,
        help_text=_("Notifications carry no case content, only a generic sentence and a link."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["process_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["process_id", "version"], name="unique_process_version"
            ),
            models.UniqueConstraint(
                fields=["process_id", "content_hash"], name="unique_process_content"
            ),
        ]
        verbose_name = _("process definition")
        verbose_name_plural = _("process definitions")

    def __str__(self):
        return f"{self.process_id} v{self.version}"


class CaseStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    WAITING = "waiting", _("Waiting")
    COMPLETED = "completed", _("Completed")
    ERROR = "error", _("Error")
    CANCELLED = "cancelled", _("Cancelled")


class Case(models.Model):
    """One process instance."""

    reference = models.CharField(_("reference"), max_length=30, unique=True)
    definition = models.ForeignKey(
        ProcessDefinition, on_delete=models.PROTECT, related_name="cases",
        verbose_name=_("definition version"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.RUNNING,
        db_index=True,
    )
    # zlib-compressed instance state (no spec): see cases.workflow.serialization.
    state = models.BinaryField(_("workflow state"), blank=True, default=b"")
    title = models.CharField(_("title"), max_length=200)
    # A title Varde composes, kept in parts to be shown in the reader's
    # language (cases.titles); empty for a title a person wrote.
    title_key = models.CharField(_("title template"), max_length=60, blank=True, editable=False)
    title_params = models.JSONField(_("title parts"), default=dict, blank=True, editable=False)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="reported_cases", verbose_name=_("reporter"),
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="cases",
        verbose_name=_("responsible unit"),
    )
    severity = models.CharField(_("severity"), max_length=30, blank=True, db_index=True)
    current_step = models.CharField(_("current step"), max_length=300, blank=True)
    outcome = models.CharField(_("outcome"), max_length=30, blank=True)
    next_timer_at = models.DateTimeField(_("next timer due"), null=True, blank=True, db_index=True)
    wake_scheduled_for = models.DateTimeField(null=True, blank=True, editable=False)
    error_element = models.CharField(_("failing BPMN element"), max_length=200, blank=True)
    error_message = models.TextField(_("error message"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        permissions = [("handle_case", _("Can handle the case"))]

    def __str__(self):
        # The reference alone: a case's string turns up in the admin, logs and
        # error reports, where its title (the reporter's words) must not.
        return self.reference

    @property
    def process_id(self) -> str:
        return self.definition.process_id

    @property
    def display_title(self) -> str:
        """The title in the active language (cases.titles): ``title`` unless
        Varde composed it from parts."""
        from cases.titles import render_title

        return render_title(self)

    @property
    def current_step_display(self) -> str:
        """The names of the open steps in the active language."""
        return ", ".join(
            gettext(name) for name in self.current_step.split(STEP_SEPARATOR) if name
        )

    @property
    def is_open(self) -> bool:
        return self.status in (CaseStatus.RUNNING, CaseStatus.WAITING, CaseStatus.ERROR)

    @property
    def reporter_status_display(self) -> str:
        """The status as a reporter reads it: an open case is being handled,
        whatever the engine's state (an error is the administrators' matter)."""
        return gettext("Being handled") if self.is_open else self.get_status_display()


class CaseLabel(models.Model):
    """A routing value copied out of workflow data so queues can filter on it.

    Filled for the keys in ``cases.routing.LABEL_KEYS`` (categories, type, ...)
    each time a step saves the case; never read back into the workflow.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="labels")
    key = models.CharField(max_length=50)
    value = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "key", "value"], name="unique_case_label"),
        ]
        indexes = [models.Index(fields=["key", "value"])]

    def __str__(self):
        return f"{self.key}={self.value}"


class TaskState(models.TextChoices):
    READY = "ready", _("Ready")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Task(models.Model):
    """A mirror of one ready (or formerly ready) user task of a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    spiff_id = models.CharField(max_length=36)
    bpmn_id = models.CharField(_("BPMN id"), max_length=100)
    name = models.CharField(
        _("name"), max_length=200, help_text=_("The BPMN task name (an English msgid).")
    )
    title_suffix = models.CharField(
        _("title suffix"), max_length=200, blank=True,
        help_text=_("Case-specific text after the name, e.g. a corrective action's title."),
    )
    lane = models.CharField(_("lane"), max_length=100, blank=True)
    # Not indexed alone: queues look it up with the state, through the
    # (state, candidate_group) index; a group is never deleted in use.
    candidate_group = models.ForeignKey(
        Group, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("candidate group"), db_index=False,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="assigned_tasks", verbose_name=_("assignee"),
    )
    form_name = models.CharField(_("form"), max_length=100, blank=True)
    four_eyes_with = models.CharField(
        _("must differ from who did"), max_length=100, blank=True,
        help_text=_("BPMN id of a task whose performer may not do this one."),
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True, db_index=True)
    # Indexed as the first column of (state, candidate_group) below.
    state = models.CharField(
        _("state"), max_length=20, choices=TaskState.choices, default=TaskState.READY,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    # Not indexed: read with its task, never searched by (only deleting a
    # user looks for it). Every index costs each step a page write.
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="completed_tasks", verbose_name=_("completed by"), db_index=False,
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "spiff_id"], name="unique_case_spiff_task"),
        ]
        indexes = [models.Index(fields=["state", "candidate_group"])]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self):
        # The BPMN name without the title suffix, which can carry content
        # (a corrective action's title); see Case.__str__.
        return f"{self.case.reference}: {self.name}"

    @property
    def title(self) -> str:
        """The task's name in the active language, with its suffix."""
        name = gettext(self.name)
        return f"{name}: {self.title_suffix}" if self.title_suffix else name


class EventKind(models.TextChoices):
    STARTED = "started", _("Case started")
    CLAIMED = "claimed", _("Task claimed")
    UNCLAIMED = "unclaimed", _("Task released")
    REASSIGNED = "reassigned", _("Task reassigned")
    COMPLETED = "completed", _("Task completed")
    TASK_READY = "task_ready", _("New step")
    TIMER = "timer", _("Timer fired")
    ESCALATED = "escalated", _("Escalated")
    TRANSFERRED = "transferred", _("Transferred to another unit")
    STATUS = "status", _("Status changed")
    ERROR = "error", _("Workflow error")
    RETRIED = "retried", _("Retried after error")
    CANCELLED = "cancelled", _("Case cancelled")
    GRANTED = "granted", _("Access granted")
    SIGNAL = "signal", _("Event received")
    DISQUALIFIED = "disqualified", _("Disqualification declared")


class CaseEvent(AppendOnly, models.Model):
    """Append-only audit trail: who did what, when, with which task and data."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    # Not indexed: the trail is read by case, never by actor (only deleting
    # a user looks for it), and every index costs each step a page write.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("actor"), db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    task = models.ForeignKey(
        Task, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(_("data"), default=dict, blank=True)
    public = models.BooleanField(
        _("visible to reporter"), default=False,
        help_text=_("Shown on the reporter's own case page."),
    )

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self):
        return f"{self.case_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class ReferenceCounter(models.Model):
    """Yearly counter per prefix for case references such as HMS-2026-00042."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="unique_reference_counter"),
        ]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last_number}"


class PartyKind(models.TextChoices):
    PARTY = "party", _("Party to the case")
    DECLARED = "declared", _("Declared disqualified")


class CaseParty(models.Model):
    """Someone who may not handle a case (forvaltningsloven § 6 (1) a).

    Either a party the process names (``cases.parties``: the applicant, the
    reporter, the employee concerned, ...), recorded when the case's tasks
    are created, or a person who declared themselves disqualified, with the
    reason. Written only by ``cases.services``; queues and the task services
    read it, never the views.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PartyKind.choices)
    reason = models.TextField(_("reason"), blank=True)
    task = models.ForeignKey(
        Task, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("declared on task"),
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "user", "kind"], name="unique_case_party"),
        ]
        verbose_name = _("disqualified person")
        verbose_name_plural = _("disqualified persons")

    def __str__(self):
        return f"{self.case_id}: {self.user_id} ({self.kind})"


class WorkerHeartbeat(models.Model):
    """A background worker's last sign of life (``manage.py jobs_worker``).

    A RUNNING job belongs to the last worker in its ``worker_ids``; when that
    worker's beat is older than the lease (``VARDE_JOB_LEASE``), another worker
    returns the job to the queue (``cases.leases``).
    """

    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    started_at = models.DateTimeField(_("started"))
    beat_at = models.DateTimeField(_("last heartbeat"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return self.worker_id
