"""Checks on the incident steps before they complete (cases.task_checks).

- Planning: a corrective action's deadline may not have passed already (the
  end of that working day); one due after the case's closing deadline, or
  owned by someone outside the handling unit (and the units under it), needs
  a reason in its row (issue 29 § 4: "late actions").
- Verify and close: a final severity other than the one the case has needs
  the reason for the change; it stays in the step's answers (the history).

A check only reads; its complaint shows next to the field it concerns.
"""

from datetime import date

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy

from cases.calendar import end_of_day
from cases.exceptions import InvalidTaskData
from cases.task_checks import register_task_check
from incidents.services import PROCESS_ID
from org.selectors import members_among

SEVERITY_LABELS = {
    "critical": gettext_lazy("Critical"),
    "serious": gettext_lazy("Serious"),
    "less_serious": gettext_lazy("Less serious"),
}


def measures_need_reasons(*, case, task, data) -> None:
    """No action's deadline has passed; each action due after the closing
    deadline (the planning task's due date) or owned outside the unit has a
    reason."""
    measures = data.get("measures") or []
    closing = timezone.localdate(task.due_at) if task.due_at else None
    members = members_among(
        usernames=[m.get("owner", "") for m in measures], unit_id=case.unit_id
    ) if case.unit_id else None
    errors, passed = {}, False
    now = timezone.now()
    for index, measure in enumerate(measures):
        deadline = measure.get("deadline")
        reason = (measure.get("reason") or "").strip()
        if deadline and end_of_day(date.fromisoformat(deadline)) <= now:
            # Due at the end of that working day (the action's timers): one
            # already past would escalate to the coordinators and the leader
            # at once. No reason makes it right.
            errors[f"measures.{index}.deadline"] = gettext_lazy(
                "This deadline has already passed. Choose a later date."
            )
            passed = True
        elif not reason and closing and deadline and date.fromisoformat(deadline) > closing:
            errors[f"measures.{index}.deadline"] = gettext_lazy(
                "This is after the case's closing deadline (%(date)s). Choose an earlier "
                "date, or give the reason in this row."
            ) % {"date": formats.date_format(closing, "SHORT_DATE_FORMAT")}
        if not reason and members is not None and measure.get("owner") not in members:
            errors[f"measures.{index}.owner"] = gettext_lazy(
                "This person is not in the unit that handles the case. Choose someone "
                "in the unit, or give the reason in this row."
            )
    if errors:
        summary = (gettext_lazy("Some corrective actions have a deadline that has already "
                                "passed.") if passed
                   else gettext_lazy("Some corrective actions need a reason."))
        raise InvalidTaskData(summary, extra={"errors": errors})


def severity_change_needs_reason(*, case, task, data) -> None:
    severity = data.get("severity")
    if (
        case.severity and severity and severity != case.severity
        and not (data.get("severity_change_reason") or "").strip()
    ):
        raise InvalidTaskData(
            gettext_lazy("Give the reason for changing the severity."),
            extra={"errors": {"severity_change_reason": gettext_lazy(
                "The severity was %(severity)s. Give the reason for changing it."
            ) % {"severity": SEVERITY_LABELS.get(case.severity, case.severity)}}},
        )


def register_task_checks() -> None:
    register_task_check(PROCESS_ID, "plan_measures", measures_need_reasons)
    register_task_check(PROCESS_ID, "verify_and_close", severity_change_needs_reason)
