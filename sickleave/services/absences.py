"""Register an absence, change its grade, end it with a return to work."""

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.exceptions import ApplicationError, NotAllowed
from cases.models import CaseStatus
from cases.services import case_cancel, case_signal, case_start
from org.models import UnitMembership
from sickleave import deadlines
from sickleave.access import PROCESS_ID, can_handle_followup
from sickleave.models import AbsencePeriod, Dm1Decision, FollowUp, FollowUpStatus
from sickleave.roles import is_leader_for
from sickleave.services.locking import lock_followup

_OPEN_ALREADY = gettext_lazy(
    "The employee already has an open follow-up: change its grade instead."
)


class InvalidAbsence(ApplicationError):
    default_message = gettext_lazy("The absence cannot be registered.")


def _check_grade(grade: int) -> int:
    grade = int(grade)
    if not 1 <= grade <= 100:
        raise InvalidAbsence(gettext_lazy("The sick-leave grade must be between 1 and 100 %."))
    return grade


def _check_not_future(day: date) -> None:
    if day > timezone.localdate():
        raise InvalidAbsence(gettext_lazy("The date cannot be in the future."))


def _continuable(employee, first_day: date) -> FollowUp | None:
    """The employee's follow-up that a new absence from ``first_day`` continues:
    returned to work, and the new absence starts inside its window while the
    case still waits for it."""
    candidate = (
        FollowUp.objects.select_related("case")
        .filter(employee=employee, status=FollowUpStatus.RETURNED, continues_until__isnull=False)
        .order_by("-returned_on")
        .first()
    )
    if candidate is None or candidate.case is None:
        return None
    if candidate.case.status not in (CaseStatus.RUNNING, CaseStatus.WAITING):
        return None
    if first_day < candidate.returned_on:
        return None
    if first_day > timezone.localdate(candidate.continues_until):
        return None
    return candidate


@transaction.atomic
def absence_register(*, actor, employee, unit, first_day: date, grade: int) -> FollowUp:
    """The leader registers an employee's absence (full: grade 100).

    A new absence soon after a return to work (``sickleave.deadlines``
    rule "continuation") continues the same case, with its deadlines still
    anchored on the first day of the first absence. Otherwise a new case
    starts; its reporter is the registering leader (who did it), the
    employee is the follow-up's subject.
    """
    if not is_leader_for(actor, unit.pk):
        raise NotAllowed()
    if employee.pk == actor.pk:
        raise InvalidAbsence(gettext_lazy("You cannot register your own absence."))
    if not UnitMembership.objects.filter(user=employee, unit=unit).exists():
        raise InvalidAbsence(gettext_lazy("The employee is not a member of the unit."))
    grade = _check_grade(grade)
    _check_not_future(first_day)
    if FollowUp.objects.filter(employee=employee, status=FollowUpStatus.OPEN).exists():
        raise InvalidAbsence(_OPEN_ALREADY)

    continued = _continuable(employee, first_day)
    if continued is not None:
        return _continue(actor, continued, first_day, grade)

    try:
        with transaction.atomic():
            followup = FollowUp.objects.create(
                employee=employee, unit=unit, registered_by=actor, first_day=first_day
            )
    except IntegrityError:  # registered at the same moment by someone else
        raise InvalidAbsence(_OPEN_ALREADY) from None
    AbsencePeriod.objects.create(
        followup=followup, starts_on=first_day, grade=grade, registered_by=actor
    )
    case = case_start(
        process_id=PROCESS_ID,
        # No name and no health detail in the title: it shows in lists.
        title=_("Sick-leave follow-up"),
        data={
            "followup": followup.pk,
            "unit": unit.code,
            "first_day": first_day.isoformat(),
            "full_absence": grade >= 100,
        },
        reporter=actor,
        unit=unit,
        actor=actor,
    )
    FollowUp.objects.filter(pk=followup.pk).update(case=case)
    followup.refresh_from_db()
    return followup


def _continue(actor, followup: FollowUp, first_day: date, grade: int) -> FollowUp:
    followup = lock_followup(followup)
    AbsencePeriod.objects.create(
        followup=followup, starts_on=first_day, grade=grade, registered_by=actor
    )
    followup.status = FollowUpStatus.OPEN
    followup.returned_on = None
    followup.continues_until = None
    followup.save(update_fields=["status", "returned_on", "continues_until"])
    case_signal(
        actor=actor, case_id=followup.case_id, name="absence_resumed",
        payload={"full_absence": grade >= 100},
    )
    followup.refresh_from_db()
    return followup


def _open_followup(actor, followup: FollowUp) -> FollowUp:
    followup = lock_followup(followup)
    if not can_handle_followup(actor, followup):
        raise NotAllowed()
    if followup.status != FollowUpStatus.OPEN:
        raise InvalidAbsence(gettext_lazy("The employee is no longer absent."))
    return followup


def _meeting_1_already_required(followup: FollowUp, period: AbsencePeriod) -> bool:
    """Meeting 1 was already due on its own date, which a change to full
    absence does not move (and nothing in the process waits for the change):
    the leader decided to hold it, or an earlier period was full."""
    return followup.dm1_decision == Dm1Decision.HOLD or followup.periods.exclude(
        pk=period.pk
    ).filter(grade__gte=100).exists()


@transaction.atomic
def absence_grade_change(*, actor, followup: FollowUp, grade: int,
                         changed_on: date) -> AbsencePeriod:
    """A new grade from ``changed_on``. Partial absence turning full makes
    dialogue meeting 1 mandatory (aml. § 4-6 (4)); the process learns it by
    the signal ``absence_became_full``, with the meeting's new deadline. A
    meeting already required (decided on, or mandatory from an earlier full
    period) keeps its deadline: the page, HR's overview and the process's
    timer stay on one date."""
    followup = _open_followup(actor, followup)
    grade = _check_grade(grade)
    _check_not_future(changed_on)
    current = followup.current_period
    if current is None or changed_on < current.starts_on:
        raise InvalidAbsence(
            gettext_lazy("The change cannot be earlier than the current period's start.")
        )
    was_full = current.is_full
    if changed_on == current.starts_on:
        current.grade = grade
        current.save(update_fields=["grade"])
        period = current
    else:
        current.ends_on = changed_on - timedelta(days=1)
        current.save(update_fields=["ends_on"])
        period = AbsencePeriod.objects.create(
            followup=followup, starts_on=changed_on, grade=grade, registered_by=actor
        )
    if not was_full and period.is_full and not _meeting_1_already_required(followup, period):
        dm1_due = deadlines.dm1_due_after_change(
            followup.dm1_due or deadlines.due_at(followup.first_day, "dm1"), changed_on
        )
        followup.dm1_due = dm1_due
        followup.save(update_fields=["dm1_due"])
        case_signal(
            actor=actor, case_id=followup.case_id, name="absence_became_full",
            payload={"full_absence": True, "dm1_due": dm1_due.isoformat()}, required=False,
        )
    return period


@transaction.atomic
def absence_return_to_work(*, actor, followup: FollowUp, returned_on: date) -> FollowUp:
    """Back at full work: the follow-up ends and every pending deadline with it.

    The case waits until the end of the continuation window (a new absence
    then continues it) and closes by itself after; with no window it closes
    at once.
    """
    followup = _open_followup(actor, followup)
    _check_not_future(returned_on)
    if returned_on < followup.first_day:
        raise InvalidAbsence(gettext_lazy("The return cannot be before the first day of absence."))
    current = followup.current_period
    if current is not None and current.ends_on is None:
        current.ends_on = max(returned_on - timedelta(days=1), current.starts_on)
        current.save(update_fields=["ends_on"])
    until = deadlines.continuation_until(returned_on)
    if until is not None and until <= timezone.now():
        until = None
    followup.returned_on = returned_on
    followup.continues_until = until
    followup.status = FollowUpStatus.RETURNED if until else FollowUpStatus.CLOSED
    followup.save(update_fields=["returned_on", "continues_until", "status"])
    case_signal(
        actor=actor, case_id=followup.case_id, name="returned_to_work",
        payload={"returned_on": returned_on.isoformat(),
                 "continues_until": until.isoformat() if until else ""},
    )
    return followup


@transaction.atomic
def followup_close(*, actor, followup: FollowUp, reason: str) -> FollowUp:
    """Close a follow-up for another reason (registered by mistake, the
    employment ended): the case is cancelled with its deadlines."""
    followup = lock_followup(followup)
    if not can_handle_followup(actor, followup):
        raise NotAllowed()
    if followup.case is not None and followup.case.is_open:
        case_cancel(actor=actor, case_id=followup.case_id, reason=reason)
    followup.status = FollowUpStatus.CLOSED
    followup.continues_until = None
    followup.save(update_fields=["status", "continues_until"])
    return followup
