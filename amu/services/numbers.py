"""Case numbers per body and year ("Sak 27/26")."""

from django.db import IntegrityError, transaction

from amu.models import AmuCase, Body, CaseNumber, CaseNumberCounter


def case_number_for(*, amu_case: AmuCase, body: Body, year: int) -> CaseNumber:
    """The case's number in the body, given the first time it is scheduled
    there (a postponed case keeps its number; a referred case gets one in
    the body it is referred to)."""
    existing = CaseNumber.objects.filter(amu_case=amu_case, body=body).first()
    if existing is not None:
        return existing
    for _attempt in range(3):
        try:
            with transaction.atomic():
                counter, _created = CaseNumberCounter.objects.select_for_update().get_or_create(
                    body=body, year=year
                )
                counter.last_number += 1
                counter.save(update_fields=["last_number"])
                return CaseNumber.objects.create(
                    amu_case=amu_case, body=body, year=year, number=counter.last_number
                )
        except IntegrityError:  # two first numbers of the year at once: try again
            continue
    raise RuntimeError("Could not allocate an AMU case number.")
