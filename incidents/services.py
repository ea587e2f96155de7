"""Reporting an HSE deviation: the content goes to IncidentReport, the
routing fields start the incident process."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cases.models import Case
from cases.services import case_keep_date_only, case_start
from incidents.models import IncidentReport
from org.selectors import primary_unit_for_user

PROCESS_ID = "incident"


def handling_unit_code(*, reporter, form_unit: str) -> str:
    """The unit that handles the report, by the VARDE_INCIDENT_UNIT_RULE
    setting: the form's unit ("place"), or the reporter's own primary unit
    ("reporter"; the form's for an anonymous reporter or one without a unit)."""
    if settings.VARDE_INCIDENT_UNIT_RULE == "reporter" and reporter is not None:
        unit = primary_unit_for_user(user=reporter)
        if unit is not None:
            return unit.code
    return form_unit


def incident_report_submit(*, reporter, data: dict, anonymous: bool = False) -> Case:
    """Start an incident case from validated report data.

    The report is written with the case, in ``case_start``'s transaction.
    ``reporter`` is None, or ignored when ``anonymous`` is true: then the case
    has no reporter, the audit trail no actor, and nothing links the report to
    an account.
    """
    if anonymous or reporter is None or not reporter.is_authenticated:
        reporter, anonymous = None, True
    today = timezone.localdate()
    process_data = {
        # case_start finds the unit (Unit.DoesNotExist if none)
        "unit": handling_unit_code(reporter=reporter, form_unit=data["unit"]),
        "incident_type": data["incident_type"],
        "categories": list(data.get("categories", [])),
        "injury_actual": bool(data.get("injury_actual")),
        "severity_suggested": data.get("severity_suggested") or "",
        "anonymous": anonymous,
        "reported_at": timezone.now().isoformat() if not anonymous else today.isoformat(),
    }
    report = IncidentReport(
        incident_type=data["incident_type"],
        categories=list(data.get("categories", [])),
        event_date=data["event_date"],
        campus=data["campus"],
        building=data["building"],
        room=data.get("room", ""),
        description=data["description"],
        immediate_action=data.get("immediate_action", ""),
        injury_actual=bool(data.get("injury_actual")),
        injury_potential=bool(data.get("injury_potential")),
        lost_time=bool(data.get("lost_time")),
        medical_treatment=bool(data.get("medical_treatment")),
        severity_suggested=data.get("severity_suggested") or "",
        anonymous=anonymous,
        reported_on=today,
    )
    with transaction.atomic():
        case = case_start(
            process_id=PROCESS_ID, title=data["title"], data=process_data,
            reporter=reporter, actor=reporter, content=report,
            # Not numbered in arrival order with reports whose time is kept.
            unordered_reference=anonymous,
        )
        if anonymous:
            # "An anonymous report keeps only its date": no time of day on
            # the case, its first task or its audit trail (issue 29 § 5).
            case = case_keep_date_only(case_id=case.pk)
    return case


def safety_representatives_inform(*, case: Case, causal_analysis_required: bool,
                                   notify_authorities: bool) -> int:
    """Notify the safety representatives of the case's unit (inside the
    step's transaction, so it happens with the acceptance or not at all)."""
    from incidents.selectors import safety_representatives_of
    from notifications.models import Kind
    from notifications.services import notify

    users = list(safety_representatives_of(case.unit_id))
    notify(users=users, kind=Kind.SAFETY_REPRESENTATIVE, case=case, extra={
        "causal_analysis_required": causal_analysis_required,
        "notify_authorities": notify_authorities,
    })
    return len(users)


# What the reporter hears at each step that matters to them (issue 29 § 4);
# closure and cancellation come with the case's status (notifications).
REPORTER_STEPS = ("accepted", "transferred", "sent_back")


def reporter_inform(*, case: Case, step: str, severity: str = "", unit: str = "") -> int:
    """Notify the case's reporter of ``step`` (one of ``REPORTER_STEPS``):
    accepted with its severity, transferred to another unit, or sent back for
    more work. An anonymous report has no reporter: nothing is sent. Runs
    inside the step's transaction, so it happens with the step or not at all."""
    from notifications.models import Kind
    from notifications.services import notify

    if step not in REPORTER_STEPS:
        raise ValueError(f"Unknown reporter step {step!r}")
    if case.reporter_id is None or not case.reporter.is_active:
        return 0
    extra = {"step": step, "severity": severity}
    if unit:
        from org.models import Unit

        extra["unit"] = Unit.objects.filter(code=unit).values_list("name", flat=True).first() or ""
    notify(users=[case.reporter], kind=Kind.STATUS_CHANGED, case=case, extra=extra)
    return 1
