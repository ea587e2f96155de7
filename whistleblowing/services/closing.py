"""What happens when a case closes: the employer always hears of it.

The employer holds the duty to investigate (aml. § 2 A-3). A case the
committee closes with a recommendation has already reached the employer; one
closed without must still reach it, as a bare "report received and assessed,
no measures recommended" without any content (the routine may name the
wording, ``conf.no_measures_wording``).
"""

from notifications.models import Kind
from notifications.services import notify
from whistleblowing import conf
from whistleblowing.models import Entry, EntryKind, Report, Sender
from whistleblowing.services.audit import audit_append
from whistleblowing.services.content import entry_create
from whistleblowing.services.exclusions import decision_makers_for


def employer_notice_send(*, case, report: Report) -> bool:
    """The bare notice, unless the employer already has a recommendation."""
    if Entry.objects.filter(report=report, kind=EntryKind.RECOMMENDATION).exists():
        return False
    makers = decision_makers_for(report)
    entry_create(report=report, kind=EntryKind.EMPLOYER_NOTICE,
                 data={"no_measures": True, "wording": conf.no_measures_wording()},
                 sender=Sender.COMMITTEE, share_with=makers)
    if not makers:
        # Cannot happen through exclusions (the last decision-maker cannot be
        # excluded), only when none has a key: the committee must act.
        from whistleblowing.services.batch import grant_holder_users

        notify(users=grant_holder_users(report), kind=Kind.OVERDUE, case=case)
        audit_append(actor=None, action="employer_not_reached", report=report)
        return False
    notify(users=[m.user for m in makers], kind=Kind.NEW_ACTIVITY, case=case)
    audit_append(actor=None, action="employer_notified", report=report)
    return True
