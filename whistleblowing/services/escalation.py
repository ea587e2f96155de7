"""Reminders and escalation of overdue work, sent by the watcher branch of
``workflows/whistleblowing.bpmn`` (operation ``whistleblowing.watch``).

Every message is content-free. Members holding the case get reminders and
overdue notices; from the second overdue notice the committee's leader too
(unless excluded from the case); from the third a bare e-mail to the person
the routine names as responsible for the channel, with no case reference at
all, only that a deadline in the channel has passed.

When the overdue work is the employer's (recording the decision, or a
check-in with the reporter after closing), the decision-makers the case was
released to get the same content-free reminders and overdue notices: they
hold the task. A check-in's reminder goes to them alone; from its first
overdue notice the members holding the case hear of it too.
"""

from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext as _

from cases.jobs import enqueue_in_transaction
from notifications.models import Kind
from notifications.services import notify
from whistleblowing import conf, deadlines
from whistleblowing.models import EntryShare, Exclusion, KeyHolder, Report
from whistleblowing.services.audit import audit_append


def members_holding(report: Report) -> list:
    from whistleblowing.services.batch import grant_holder_users

    return grant_holder_users(report)


EMPLOYER_TASKS = ("record_decision", "employer_checkin")


def employer_work_open(case) -> bool:
    from cases.models import Task, TaskState

    return case is not None and Task.objects.filter(
        case=case, bpmn_id__in=EMPLOYER_TASKS, state=TaskState.READY).exists()


def decision_makers_holding(report: Report) -> list:
    """The accounts of the decision-makers the case was released to (an
    exclusion deletes their shares, so excluded ones are never among them)."""
    from whistleblowing.services.committee import EMPLOYER_KINDS

    holder_ids = EntryShare.objects.filter(
        entry__report=report, entry__kind__in=EMPLOYER_KINDS).values_list("holder_id", flat=True)
    return [
        holder.user for holder in KeyHolder.objects.filter(pk__in=holder_ids)
        .select_related("user").order_by("pk")
        if holder.user.is_active and not holder.user.is_superuser
    ]


def leader_user(report: Report):
    """The leader's account, unless the leader is excluded from this case."""
    username = conf.committee_leader()
    if not username:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True,
                                           is_superuser=False).first()
    if user is None:
        return None
    holder = KeyHolder.objects.filter(user=user).first()
    if holder is not None and Exclusion.objects.filter(report=report, holder=holder).exists():
        return None
    return user


def responsible_notice(notice: deadlines.Notice) -> bool:
    """A content-free e-mail to the person responsible for the channel."""
    from django.conf import settings

    from notifications.emails import queue_email
    from notifications.tasks import send_email

    address = conf.channel_responsible_email()
    if not address:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Whistleblowing channel: a deadline has passed")
        body = _(
            "A deadline in the whistleblowing channel has passed, and the committee has "
            "been reminded several times without the work being done. This message says "
            "nothing about the case, by design. Please make sure the committee follows up "
            "as the routine requires."
        )
    email = queue_email(to=address, subject=subject, body=body)
    enqueue_in_transaction(send_email, email.pk)
    return True


def send(*, case, report: Report, notice: deadlines.Notice) -> int:
    """Send one notice at its escalation level; returns how many got it."""
    kind = Kind.REMINDER if notice.level == 0 else Kind.OVERDUE
    users = []
    if notice.clock != deadlines.CHECKIN or notice.level > 0:
        users += members_holding(report)
    if notice.clock == deadlines.CHECKIN or employer_work_open(case):
        users += [user for user in decision_makers_holding(report) if user not in users]
    count = len(notify(users=users, kind=kind, case=case))
    if notice.level >= deadlines.LEADER:
        leader = leader_user(report)
        if leader is not None:
            count += len(notify(users=[leader], kind=Kind.OVERDUE, case=case))
    if notice.level >= deadlines.RESPONSIBLE and responsible_notice(notice):
        count += 1
    if notice.level > 0:
        audit_append(actor=None, action="overdue_notice", report=report,
                     detail=f"{notice.clock}:level{notice.level}")
    return count
