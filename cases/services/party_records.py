"""Recording the parties a process names (``cases.parties``), inside the
step that creates the case's tasks (``cases.services.persistence``)."""

from collections.abc import Mapping

from cases.models import Case, CaseParty, PartyKind
from cases.parties import linked_case_ids, named_parties


def parties_record(case: Case, data: Mapping, *, with_declared: bool = True) -> set[int]:
    """Record the parties the process names (once each); returns them, and
    with ``with_declared`` also those who declared a conflict. Called by the
    step that creates tasks."""
    named = named_parties(case, data)
    declared_in_matter_record(case, data)
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


def declared_in_matter_record(case: Case, data: Mapping | None = None) -> None:
    """Carry the conflicts declared in the other cases of the same matter
    (``cases.parties.linked_case_ids``) to this one, with their reasons."""
    linked = linked_case_ids(case, data)
    if not linked:
        return
    CaseParty.objects.bulk_create(
        [CaseParty(case=case, user_id=row.user_id, kind=PartyKind.DECLARED,
                   reason=row.reason, task_id=row.task_id)
         for row in CaseParty.objects.filter(case_id__in=linked, kind=PartyKind.DECLARED)],
        ignore_conflicts=True,
    )


def declared_to_matter_record(case: Case, party: CaseParty) -> list[int]:
    """A conflict just declared in ``case`` counts in the matter's other
    cases; returns their ids."""
    linked = sorted(linked_case_ids(case))
    if linked:
        CaseParty.objects.bulk_create(
            [CaseParty(case_id=pk, user_id=party.user_id, kind=PartyKind.DECLARED,
                       reason=party.reason, task_id=party.task_id) for pk in linked],
            ignore_conflicts=True,
        )
    return linked
