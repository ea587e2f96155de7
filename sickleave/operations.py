"""Operations the sick-leave process calls from its service tasks.

Each runs inside the engine step's transaction (with the case row locked),
copies the routing facts of a step into the sickleave models so that lists
and statistics are plain queries, and returns a small, content-free dict.
They take the follow-up id from the workflow data: the first step runs
before the follow-up is linked to its case.
"""

from datetime import date, datetime

from django.utils import timezone

from cases import operations
from notifications.models import Kind
from notifications.services import notify
from sickleave import deadlines
from sickleave.models import (
    Escalation,
    FollowUp,
    FollowUpStatus,
    Meeting,
    MeetingOutcome,
    NavPlanRequest,
    PlanDispatch,
    Recipient,
)
from sickleave.roles import hr_advisors_of, leaders_of


def _followup(followup) -> FollowUp:
    return FollowUp.objects.get(pk=int(followup))


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


def _date(value) -> date | None:
    if not value:
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def meeting_done(meeting: Meeting | None) -> bool:
    return meeting is not None and bool(meeting.outcome)


@operations.register("sickleave.schedule")
def schedule(*, case, followup) -> dict:
    """The process's dates (sickleave.deadlines) and what is already done.

    Runs at the start and again when a new absence continues the case: the
    dates stay anchored on the first day, finished steps are skipped.
    """
    fu = _followup(followup)
    dates = deadlines.schedule(fu.first_day)
    first_plan = fu.plan_versions.order_by("number").first()
    doctor_due = dates["doctor_due"]
    period = fu.current_period
    full_absence = bool(period and period.is_full)
    # A change to full absence after seven weeks moved meeting 1 (kept).
    dm1_due = max(dates["dm1_due"], fu.dm1_due) if fu.dm1_due else dates["dm1_due"]
    meetings = {m.number: m for m in fu.meetings.all()}
    fu.plan_due, fu.doctor_due, fu.dm1_due = dates["plan_due"], doctor_due, dm1_due
    fu.activity_due, fu.dm2_due = dates["activity_due"], dates["dm2_due"]
    fu.save(update_fields=["plan_due", "doctor_due", "dm1_due", "activity_due", "dm2_due"])
    plan_sent = fu.dispatches.filter(recipient=Recipient.DOCTOR).exists()
    # NAV's request still unanswered when a new absence continues the case.
    nav_request = fu.nav_requests.filter(dispatch__isnull=True).order_by("pk").last()
    return {
        "full_absence": full_absence,
        "plan_reminder_at": _iso(dates["plan_reminder_at"]),
        "plan_due": _iso(dates["plan_due"]),
        "doctor_due": _iso(doctor_due),
        "dm1_due": _iso(dm1_due),
        "activity_opens_at": _iso(dates["activity_opens_at"]),
        "activity_due": _iso(dates["activity_due"]),
        "dm2_opens_at": _iso(dates["dm2_opens_at"]),
        "dm2_due": _iso(dates["dm2_due"]),
        "plan_exists": first_plan is not None,
        "plan_done": plan_sent or bool(fu.plan_exemption_reason),
        "dm1_done": meeting_done(meetings.get(1)),
        "dm1_decision": fu.dm1_decision,
        "activity_done": bool(fu.activity_status),
        "dm2_done": meeting_done(meetings.get(2)),
        "nav_request": nav_request.pk if nav_request else 0,
        "nav_request_due": _iso(nav_request.due_at) if nav_request else "",
    }


@operations.register("sickleave.remind")
def remind(*, case, followup, deadline: str) -> dict:
    """Remind the unit's leaders of a coming deadline (a generic sentence:
    the process is confidential)."""
    fu = _followup(followup)
    users = list(leaders_of(fu.unit_id).exclude(pk=fu.employee_id))
    notify(users=users, kind=Kind.REMINDER, case=case)
    return {"deadline": deadline, "reminded": len(users)}


@operations.register("sickleave.escalate")
def escalate(*, case, followup, deadline: str, due: str, task_bpmn_ids: str = "") -> dict:
    """A missed deadline: marked on the open tasks (the leader's escalated
    queue) and sent to the unit's HR advisors once per occurrence, i.e. per
    ``deadline`` name and ``due`` moment: a second timer on the same
    occurrence (meeting 1's decision, then the meeting) adds nothing, a
    moved or repeated deadline is escalated again. The days overdue are
    counted from ``due`` (the HR overview counts on from there)."""
    fu = _followup(followup)
    due_at = datetime.fromisoformat(due)
    for bpmn_id in [b for b in task_bpmn_ids.split(",") if b]:
        operations.run(
            "cases.escalate", case=case,
            params={"reason": f"sick_leave_{deadline}_overdue", "task_bpmn_id": bpmn_id},
        )
    escalation, created = Escalation.objects.get_or_create(
        followup=fu, deadline=deadline, due_at=due_at
    )
    if created:
        advisors = list(hr_advisors_of(fu.unit_id).exclude(pk=fu.employee_id))
        notify(users=advisors, kind=Kind.OVERDUE, case=case)
        escalation.notified = len(advisors)
        escalation.save(update_fields=["notified"])
    days_overdue = max((timezone.now() - due_at).days, 0)
    return {"deadline": deadline, "days_overdue": days_overdue,
            "hr_notified": escalation.notified if created else 0}


@operations.register("sickleave.record_plan_exemption")
def record_plan_exemption(*, case, followup, reason: str) -> dict:
    """Who decided is the person who completed the step (task mirror and
    audit trail); the reason is one of the allowed ones (form enum)."""
    fu = _followup(followup)
    fu.plan_exemption_reason = reason
    fu.plan_exempted_at = timezone.now()
    fu.save(update_fields=["plan_exemption_reason", "plan_exempted_at"])
    return {"reason": reason}


@operations.register("sickleave.record_dispatch")
def record_dispatch(*, case, followup, recipient: str, sent_on: str, method: str,
                    meeting: int = 0, nav_request: int = 0) -> dict:
    """The plan (its latest version) sent to the doctor or NAV; for NAV's
    request ``nav_request``, that request is answered by it."""
    fu = _followup(followup)
    dispatch = PlanDispatch.objects.create(
        followup=fu,
        version=fu.plan_versions.order_by("-number").first(),
        recipient=recipient,
        sent_on=_date(sent_on),
        method=method,
        meeting_number=int(meeting) or None,
    )
    if int(nav_request or 0):
        NavPlanRequest.objects.filter(followup=fu, pk=int(nav_request)).update(dispatch=dispatch)
    return {"dispatch": dispatch.pk, "version": dispatch.version.number if dispatch.version else 0}


@operations.register("sickleave.record_dm1_decision")
def record_dm1_decision(*, case, followup, decision: str) -> dict:
    fu = _followup(followup)
    fu.dm1_decision = decision
    fu.dm1_decided_at = timezone.now()
    fu.save(update_fields=["dm1_decision", "dm1_decided_at"])
    return {"decision": decision}


@operations.register("sickleave.record_invitation")
def record_invitation(*, case, followup, number: int, decision: str, meeting_on=None,
                      participants=None, reason: str = "") -> dict:
    """Meeting 1: the employer's invitation (or "obviously unnecessary").
    Meetings 2 and 3: NAV's invitation (or NAV's "no meeting"), which sets
    the date the updated plan is due at NAV."""
    fu = _followup(followup)
    meeting, _created = Meeting.objects.get_or_create(followup=fu, number=int(number))
    meeting.planned_on = _date(meeting_on)
    meeting.participants = list(participants or [])
    meeting.held_on = None
    meeting.invited_at = timezone.now()
    meeting.plan_to_nav_due = None
    meeting.unnecessary_reason = ""
    meeting.outcome = ""
    if decision == "obviously_unnecessary":
        meeting.outcome = MeetingOutcome.OBVIOUSLY_UNNECESSARY
        meeting.unnecessary_reason = reason
    elif decision == "not_needed":
        meeting.outcome = MeetingOutcome.NOT_NEEDED_NAV
    result = {"meeting": meeting.number, "plan_to_nav_due": "", "meeting_record_due": ""}
    if meeting.planned_on and meeting.number > 1:
        meeting.plan_to_nav_due = deadlines.plan_to_nav_due(meeting.planned_on)
        result["plan_to_nav_due"] = _iso(meeting.plan_to_nav_due)
        result["meeting_record_due"] = _iso(deadlines.meeting_record_due(meeting.planned_on))
    meeting.save()
    return result


@operations.register("sickleave.record_meeting")
def record_meeting(*, case, followup, number: int, held_on: str) -> dict:
    fu = _followup(followup)
    meeting, _created = Meeting.objects.get_or_create(followup=fu, number=int(number))
    meeting.held_on = _date(held_on)
    meeting.outcome = MeetingOutcome.HELD
    meeting.save(update_fields=["held_on", "outcome", "updated_at"])
    return {"meeting": meeting.number}


@operations.register("sickleave.record_activity")
def record_activity(*, case, followup, status: str) -> dict:
    fu = _followup(followup)
    fu.activity_status = status
    fu.activity_recorded_at = timezone.now()
    fu.save(update_fields=["activity_status", "activity_recorded_at"])
    return {"status": status}


@operations.register("sickleave.close")
def close(*, case, followup) -> dict:
    """No new absence came in time after the return: the follow-up is over."""
    fu = _followup(followup)
    fu.status = FollowUpStatus.CLOSED
    fu.continues_until = None
    fu.save(update_fields=["status", "continues_until"])
    return {"closed": True}
