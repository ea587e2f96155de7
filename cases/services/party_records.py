"""Recording the parties a process names (``cases.parties``), inside the
step that creates the case's tasks (``cases.services.persistence``)."""

from collections.abc import Mapping

from cases.models import Case, CaseParty, PartyKind
from cases.parties import named_parties


def parties_record(case: Case, data: Mapping, *, with_declared: bool = True) -> set[int]:
    """Record the parties the process names (once each); returns them, and
    with ``with_declared`` also those who declared a conflict. Called by the
    step that creates tasks."""
    named = named_parties(case, data)
    if named:
        CaseParty.objects.bulk_create(
            [CaseParty(case=case, user_id=pk, kind=PartyKind.PARTY) for pk in named],
            ignore_conflicts=True,
        )
    if not with_declared:
        return named
    return named | set(
        CaseParty.objects.filter(case=case, kind=PartyKind.DECLARED)
        .values_list("user_id", flat=True)
    )
