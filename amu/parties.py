"""Who is a party to an AMU case (forvaltningsloven § 6 (1) a): the one who
submitted it, the one who reported the deviation it came from, and any
member who declared a conflict of interest on it. A party does not vote on
the case; the minutes show them as having stepped aside.

``amu_case_parties`` answers for one case with the user ids and the reason
for each, so it can be registered with the core mechanism that keeps
parties from handling their own cases.
"""

from django.utils.translation import gettext as _

from amu.models import AmuCase


def amu_case_parties(amu_case: AmuCase) -> dict[int, str]:
    """{user id: why they are a party}."""
    parties = {}
    for conflict in amu_case.conflicts.all():  # the agenda prefetches them
        parties[conflict.member.user_id] = _("declared a conflict of interest: %(reason)s") % {
            "reason": conflict.reason
        }
    incident = amu_case.incident_case
    if incident is not None and incident.reporter_id:
        parties[incident.reporter_id] = _("reported the deviation the case came from")
    if amu_case.case.reporter_id:
        parties[amu_case.case.reporter_id] = _("submitted the case")
    return parties
