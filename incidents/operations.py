"""Operations the incident process calls from its service tasks."""

from django.utils import timezone

from cases import operations
from org.models import Unit


@operations.register("incident.transfer")
def transfer(*, case, unit: str) -> dict:
    """Check the target unit; the case's unit follows the process data.

    The BPMN's postScript sets ``unit`` from this result, and the case service
    mirrors it to the case row (with a 'transferred' audit event).
    """
    if not Unit.objects.filter(code=unit).exists():
        raise ValueError(f"Unknown unit {unit!r}")
    return {"unit": unit, "transferred_at": timezone.now().isoformat()}


def safety_representatives_to_tell(*, incident_type: str, severity: str,
                                   causal_analysis_required: bool) -> bool:
    """Every accident, and every near-accident serious enough for a causal
    analysis (the routing table's output: critical and serious), goes to the
    unit's safety representatives when accepted."""
    if incident_type == "accident":
        return True
    return incident_type == "near_accident" and bool(causal_analysis_required)


@operations.register("incident.inform_safety_representatives")
def inform_safety_representatives(*, case, incident_type: str, severity: str,
                                  causal_analysis_required: bool,
                                  notify_authorities: bool) -> dict:
    """Tell the safety representatives of the case's unit about an accepted
    accident or serious near-accident, with what the routing table says it
    starts: a causal analysis with them, and notice to the authorities."""
    from incidents.services import safety_representatives_inform

    if not safety_representatives_to_tell(
        incident_type=incident_type, severity=severity,
        causal_analysis_required=causal_analysis_required,
    ):
        return {"informed": 0}
    informed = safety_representatives_inform(
        case=case, causal_analysis_required=bool(causal_analysis_required),
        notify_authorities=bool(notify_authorities),
    )
    return {"informed": informed}


@operations.register("incident.inform_reporter")
def inform_reporter(*, case, step: str, severity: str = "", unit: str = "") -> dict:
    """Tell the reporter (never an anonymous one) that the deviation was
    accepted, transferred or sent back for more work."""
    from incidents.services import reporter_inform

    return {"informed": reporter_inform(case=case, step=step, severity=severity, unit=unit)}
