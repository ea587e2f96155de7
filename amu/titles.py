"""The title of a deviation raised with AMU, in the reader's language.

"HSE deviation AVV-2026-0001 (near accident)": the deviation's reference and
its type, never its own title (the reporter's free text may name people).
Kept in parts on the case (cases.titles) and rendered when it is read.
"""

from django.utils.translation import gettext

from cases.titles import register_title

INCIDENT_TITLE = "amu.incident"


def incident_title_params(incident_case) -> dict:
    report = getattr(incident_case, "incident", None)
    params = {"reference": incident_case.reference}
    if report is not None:
        params["incident_type"] = report.incident_type
    return params


def incident_title(params: dict) -> str:
    """In the active language; a type no longer known is left out."""
    from incidents.models import IncidentType

    title = gettext("HSE deviation %(reference)s") % {"reference": params["reference"]}
    kind = params.get("incident_type")
    if kind in IncidentType.values:
        title += f" ({str(IncidentType(kind).label).lower()})"
    return title


def register() -> None:
    register_title(INCIDENT_TITLE, incident_title)
