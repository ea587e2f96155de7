"""The sentence a notification shows, in each language Varde speaks.

Confidential processes (whistleblowing, sick leave, parking) get one generic
sentence: no reference, title, task name or any other case content.
"""

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cases.models import CaseStatus
from notifications.models import Kind
from varde.languages import codes

GENERIC = gettext_noop("There is new activity in a case you have access to.")


def is_confidential(case) -> bool:
    return bool(case is not None and case.definition.confidential)


def notification_texts(*, kind: str, case=None, task=None, extra: dict | None = None
                       ) -> dict[str, str]:
    """The sentence in every language Varde speaks ({code: text}), each cut
    to the length ``Notification.text`` keeps."""
    return {code: _text_in(code, kind=kind, case=case, task=task, extra=extra)[:300]
            for code in codes()}


def _text_in(language: str, *, kind: str, case=None, task=None, extra: dict | None = None) -> str:
    extra = extra or {}
    with translation.override(language):
        if kind == Kind.AGENDA_PUBLISHED:  # a meeting, not a case (amu.services.meetings)
            return _("%(body)s: the agenda for the meeting on %(date)s is published.") % {
                "body": extra.get("body", ""), "date": extra.get("date", "")}
        if case is None or is_confidential(case):
            return _(GENERIC)
        values = {"reference": case.reference, "task": task.title if task else ""}
        if kind == Kind.TASK_ASSIGNED:
            return _("%(reference)s: the task “%(task)s” was assigned to you.") % values
        if kind == Kind.TASK_WAITING:
            return _("%(reference)s: the task “%(task)s” is waiting in your group.") % values
        if kind == Kind.REMINDER:
            values["due"] = formats.date_format(
                timezone.localtime(task.due_at), "SHORT_DATE_FORMAT"
            )
            return _("%(reference)s: the task “%(task)s” is due %(due)s.") % values
        if kind == Kind.OVERDUE and task is not None:
            return _("%(reference)s: the task “%(task)s” is overdue and was escalated to "
                     "you.") % values
        if kind == Kind.OVERDUE:
            return _("%(reference)s: overdue work in your unit was escalated to you.") % values
        if kind == Kind.CASE_ERROR:
            return _("%(reference)s stopped with a workflow error and needs a retry.") % values
        if kind == Kind.SAFETY_REPRESENTATIVE:
            # No name, injury or health detail: what happened where, and the
            # duties it starts (incidents.operations).
            text = _("%(reference)s: an accident or serious near-accident in your area "
                     "was accepted.") % values
            if extra.get("causal_analysis_required"):
                text += " " + _("A causal analysis with the safety representative is required.")
            if extra.get("notify_authorities"):
                text += " " + _("It must be notified to the Labour Inspection Authority.")
            return text
        if kind == Kind.STATUS_CHANGED and extra.get("step"):
            return _reporter_step_text(extra, values)
        if kind == Kind.STATUS_CHANGED:
            # A lazy label, so it comes out in the recipient's language.
            values["status"] = str(CaseStatus(extra["status"]).label)
            return _("%(reference)s: the case you reported is now: %(status)s.") % values
        return _(GENERIC)


def _reporter_step_text(extra: dict, values: dict) -> str:
    """A step of a deviation the user reported (incidents.services.reporter_inform):
    what happened to it, never who handles it or why."""
    step = extra["step"]
    if step == "accepted":
        labels = {"critical": _("critical"), "serious": _("serious"),
                  "less_serious": _("less serious")}
        severity = labels.get(extra.get("severity", ""))
        if severity:
            return _("%(reference)s: the deviation you reported was accepted as %(severity)s "
                     "and is being handled.") % {**values, "severity": severity}
        return _("%(reference)s: the deviation you reported was accepted and is being "
                 "handled.") % values
    if step == "transferred":
        if extra.get("unit"):
            return _("%(reference)s: the deviation you reported was transferred to "
                     "%(unit)s, which will handle it.") % {**values, "unit": extra["unit"]}
        return _("%(reference)s: the deviation you reported was transferred to another "
                 "unit, which will handle it.") % values
    if step == "sent_back":
        return _("%(reference)s: the deviation you reported was sent back for more work "
                 "before it is closed.") % values
    return _(GENERIC)
