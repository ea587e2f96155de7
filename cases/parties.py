"""Who is a party to a case, and so may not handle it (forvaltningsloven § 6 (1) a).

Each process says who its parties are with ``register_parties`` (beside its
access policy, in its ``AppConfig.ready``): a function from the case and the
workflow data to user ids. ``own_steps`` names the process's steps in which a
party acts *as* the party (the applicant sends documentation, appeals); every
other step of the case is closed to them.

The rule lives here and in ``cases.services`` once, for every process:

* when a task is created the named parties are recorded (``CaseParty``), and a
  task the workflow would assign to a party goes to the group instead;
* a party or a person who declared a conflict cannot claim, be assigned,
  complete (``is_barred_from_task``) or vote (``is_disqualified``);
* queues do not offer them the case's tasks (``exclude_disqualified``);
* disqualification goes with the matter, not one case (fvl. § 6): a process
  whose matter runs in several cases (an application, its offer, the appeal
  of its revocation) names them with ``linked``, and a conflict declared in
  one is recorded in each of the others, also those started later.

Reads only; the writes are in ``cases.services.parties``.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from cases.models import Case, CaseParty, PartyKind, Task

PartiesFunction = Callable[[Case, Mapping], Iterable[int]]


# (user, task) -> bool: the process's own rule that bars a person from one
# task although they are no party, e.g. whoever made the decision appealed
# may not prepare or decide the appeal (fvl. §§ 6 and 28: the appeal is
# handled by others than the one who decided).
TaskBar = Callable[[object, Task], bool]

# (case, data) -> the ids of the other cases of the same matter.
LinkedCases = Callable[[Case, Mapping], Iterable[int]]


@dataclass(frozen=True)
class PartyHook:
    parties: PartiesFunction
    own_steps: frozenset[str]
    barred: TaskBar | None = None
    linked: LinkedCases | None = None


_hooks: dict[str, PartyHook] = {}


def register_parties(process_id: str, parties: PartiesFunction, *,
                     own_steps: Iterable[str] = (), barred: TaskBar | None = None,
                     linked: LinkedCases | None = None) -> None:
    """Declare who the parties to ``process_id``'s cases are.

    ``parties(case, data)`` returns the user ids of the parties; ``data`` is
    the workflow data of the step that creates tasks (routing fields only).
    It is called inside the step's transaction and must not write.
    ``barred(user, task)``, if given, bars others from single tasks (reads only).
    ``linked(case, data)``, if given, returns the ids of the other cases of
    the same matter: a declared conflict counts in all of them (reads only).
    """
    _hooks[process_id] = PartyHook(parties=parties, own_steps=frozenset(own_steps),
                                   barred=barred, linked=linked)


def hook_for(process_id: str) -> PartyHook | None:
    return _hooks.get(process_id)


def reporter_is_party(case: Case, data: Mapping) -> list[int]:
    """The usual hook: whoever started the case (none for an anonymous report)."""
    return [case.reporter_id] if case.reporter_id else []


def named_parties(case: Case, data: Mapping) -> set[int]:
    """The user ids the process names as parties to this case."""
    hook = hook_for(case.definition.process_id)
    if hook is None:
        return set()
    return {int(pk) for pk in hook.parties(case, data or {}) if pk}


def linked_case_ids(case: Case, data: Mapping | None = None) -> set[int]:
    """The other cases of the case's matter, as the process names them."""
    hook = hook_for(case.definition.process_id)
    if hook is None or hook.linked is None:
        return set()
    return {int(pk) for pk in hook.linked(case, data or {}) if pk} - {case.pk}


def disqualified_ids(case: Case) -> set[int]:
    """Everyone recorded as unable to handle the case (parties and declared)."""
    return set(CaseParty.objects.filter(case=case).values_list("user_id", flat=True))


def is_disqualified(user, case: Case) -> bool:
    """A party to the case or a person who declared a conflict: may not
    decide or vote on it. AMU's vote rule asks this."""
    if user is None or not user.is_authenticated:
        return False
    return CaseParty.objects.filter(case_id=case.pk, user_id=user.pk).exists()


def is_barred_from_task(user, task: Task) -> bool:
    """May not claim, be assigned or complete this task: disqualified from
    its case, unless it is the party's own step (and they declared nothing)."""
    if user is None or not user.is_authenticated:
        return False
    hook = hook_for(task.case.definition.process_id)
    if hook is not None and hook.barred is not None and hook.barred(user, task):
        return True
    kinds = set(
        CaseParty.objects.filter(case_id=task.case_id, user_id=user.pk)
        .values_list("kind", flat=True)
    )
    if not kinds:
        return False
    own_step = hook is not None and task.bpmn_id in hook.own_steps
    return not (kinds == {PartyKind.PARTY} and own_step)


def exclude_disqualified(tasks: QuerySet, user) -> QuerySet:
    """Tasks without those of cases the user is disqualified from (one
    subquery, whatever the number of rows)."""
    return tasks.exclude(
        Exists(CaseParty.objects.filter(case_id=OuterRef("case_id"), user_id=user.pk))
    )
