"""Audit events turned into rows a person can read: who, when, what, which
task, and the data that changed, with the form's own labels."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.models import Case, CaseEvent, CaseStatus, EventKind
from cases.views.support import OUTCOME_LABELS, display_value, field_title

# Keys of event data worth showing, per kind, with their labels. Completed
# tasks are handled apart: their data is the submitted form.
_DETAIL_LABELS = {
    EventKind.STATUS: {"to": _("New status"), "outcome": _("Outcome")},
    EventKind.TRANSFERRED: {"from": _("From unit"), "to": _("To unit")},
    EventKind.REASSIGNED: {"from": _("From"), "to": _("To")},
    EventKind.ERROR: {"element": _("BPMN element"), "message": _("Error")},
    EventKind.RETRIED: {"element": _("BPMN element"), "message": _("Previous error")},
    EventKind.CANCELLED: {"reason": _("Reason")},
    EventKind.GRANTED: {"granted_to": _("Granted to")},
    EventKind.STARTED: {"version": _("Definition version")},
}


@dataclass
class TimelineEntry:
    at: datetime
    kind: str
    what: str
    actor: str
    task: str
    changes: list[tuple[str, Any]] = field(default_factory=list)


def _status_label(value: str) -> str:
    try:
        return str(CaseStatus(value).label)
    except ValueError:
        return value


def _details(case: Case, event: CaseEvent, *, health: bool = True) -> list[tuple[str, Any]]:
    """The event's data with labels; without ``health``, answers the form
    marks ``"x-health-data": true`` are left out (GDPR art. 9: only those
    who assess the health information see them)."""
    data = event.data or {}
    if event.kind == EventKind.COMPLETED:
        schema = case.definition.forms.get(event.task.form_name) if event.task else None
        properties = (schema or {}).get("properties", {})
        return [
            (field_title(schema, key), display_value(properties.get(key), value))
            for key, value in (data.get("data") or {}).items()
            if health or not (properties.get(key) or {}).get("x-health-data")
        ]
    labels = _DETAIL_LABELS.get(event.kind, {})
    details = []
    for key, label in labels.items():
        value = data.get(key)
        if value in (None, ""):
            continue
        if event.kind == EventKind.STATUS and key == "to":
            value = _status_label(value)
        elif key == "outcome":
            value = str(OUTCOME_LABELS.get(value, value))
        details.append((str(label), value))
    return details


_TECHNICAL = {EventKind.ERROR, EventKind.RETRIED}


def _engine_status_change(event: CaseEvent) -> bool:
    """Into or out of an engine error: the administrators' matter. A
    reporter's case is "being handled" throughout."""
    data = event.data or {}
    return event.kind == EventKind.STATUS and CaseStatus.ERROR in (data.get("from"),
                                                                  data.get("to"))


def timeline_entries(
    case: Case, events, *, for_reporter: bool = False, technical: bool = False,
    health: bool = True,
) -> list[TimelineEntry]:
    """Rows for the case page. A reporter sees no names of staff; engine
    error details are for HSE administrators (``technical``) only; answers
    marked as health data only with ``health`` (``can_read_case_health_data``)."""
    entries = []
    for event in events:
        if for_reporter and _engine_status_change(event):
            continue
        if for_reporter:
            actor = ""
        elif event.actor is not None:
            actor = event.actor.get_full_name() or event.actor.get_username()
        else:
            # Only an anonymous report starts a case without an actor.
            actor = gettext("Anonymous") if event.kind == EventKind.STARTED else gettext("System")
        entries.append(
            TimelineEntry(
                at=event.at,
                kind=event.kind,
                what=event.get_kind_display(),
                actor=actor,
                task=event.task.title if event.task else "",
                changes=_details(case, event, health=health)
                if technical or event.kind not in _TECHNICAL
                else [],
            )
        )
    return entries


def reporter_visible_answers(case: Case, events) -> list[tuple[str, Any]]:
    """Answers that a form marks ``"x-reporter-visible": true`` (e.g. why a
    report was rejected), taken from completed tasks, newest last."""
    answers = []
    for event in events:
        if event.kind != EventKind.COMPLETED or event.task is None:
            continue
        schema = case.definition.forms.get(event.task.form_name) or {}
        for key, prop in schema.get("properties", {}).items():
            value = (event.data.get("data") or {}).get(key)
            if prop.get("x-reporter-visible") and value not in (None, "", []):
                answers.append((field_title(schema, key), display_value(prop, value)))
    return answers


def completed_answers(case: Case, event: CaseEvent | None, *,
                      health: bool = True) -> list[tuple[str, Any]]:
    """The submitted form of one completed task, with the form's labels."""
    if event is None or event.kind != EventKind.COMPLETED:
        return []
    return _details(case, event, health=health)
