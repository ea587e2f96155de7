"""One lock order for sick-leave writes: the case row, then the follow-up.

Engine steps lock the case row first (cases.services) and their operations
then update the follow-up; a service here that locked the follow-up first and
then signalled the case would wait in the opposite order, and two such
transactions can deadlock on PostgreSQL. The case row is only locked here,
never written: cases.services does that.
"""

from cases.models import Case
from sickleave.models import FollowUp


def lock_followup(followup: FollowUp) -> FollowUp:
    """The follow-up, read fresh, with its case row and then its own row
    locked until the end of the transaction."""
    if followup.case_id is not None:
        list(
            Case.objects.select_for_update(of=("self",))
            .filter(pk=followup.case_id)
            .values_list("pk", flat=True)
        )
    return FollowUp.objects.select_for_update(of=("self",)).get(pk=followup.pk)
