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
from cases.models import CaseParty, PartyKind


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
    # Declared on any of the case's tasks (cases.parties, the same rule for
    # every process): the member steps aside from the vote too.
    declared = CaseParty.objects.filter(case_id=amu_case.case_id, kind=PartyKind.DECLARED)
    for user_id, reason in declared.values_list("user_id", "reason"):
        parties.setdefault(user_id, _("declared a conflict of interest: %(reason)s") % {
            "reason": reason})
    return parties


def case_parties(case, data) -> list[int]:
    """The core hook (cases.parties.register_parties): who may not claim,
    be assigned or complete the case's tasks (the secretary's screening, the
    follow-up actions)."""
    amu_case = AmuCase.objects.filter(case_id=case.pk).select_related("case",
                                                                       "incident_case").first()
    if amu_case is None:
        return [uid for uid in (case.reporter_id,) if uid]
    parties = [amu_case.case.reporter_id]
    if amu_case.incident_case is not None:
        parties.append(amu_case.incident_case.reporter_id)
    return [uid for uid in parties if uid]
