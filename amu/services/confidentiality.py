"""Marking a case confidential (personnel or health matters, offentleglova
§ 13): its text and documents are then shown only to the voting members
(and their deputies), the secretary and the submitter; observers and the
public minutes see the title only."""

from django.db import transaction

from amu.access import is_secretary
from amu.exceptions import NotSecretary
from amu.models import AmuCase


@transaction.atomic
def amu_case_confidential_set(*, actor, amu_case: AmuCase, confidential: bool) -> AmuCase:
    if not is_secretary(actor):
        raise NotSecretary()
    amu_case = AmuCase.objects.select_for_update().get(pk=amu_case.pk)
    amu_case.confidential = confidential
    amu_case.save(update_fields=["confidential"])
    return amu_case
