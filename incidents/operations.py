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
