"""Operations the amu_case and amu_extra_meeting processes call from their
service tasks (BPMN ids in the docstrings). They run inside the step's
transaction and return small routing values; content goes to the models."""

from datetime import date, time

from django.utils import timezone

from amu.models import (
    ActionStatus,
    AgendaItem,
    AmuCase,
    Body,
    ConsentAnswer,
    ConsentRecord,
    ExtraMeetingDemand,
    FollowUpAction,
    InformationRequest,
    Meeting,
    MeetingStatus,
    Outcome,
)
from amu.services.numbers import case_number_for
from cases import operations


def _amu_case(case) -> AmuCase:
    return AmuCase.objects.select_related("body", "body__parent").get(case=case)


@operations.register("amu.request_information")
def request_information(*, case, question: str, deadline: str) -> dict:
    """``request_information``: the secretary returned the case with a question."""
    request = InformationRequest.objects.create(
        amu_case=_amu_case(case), question=question, deadline=date.fromisoformat(deadline)
    )
    return {"request_id": request.pk}


def _open_request(case) -> InformationRequest | None:
    return (
        InformationRequest.objects.filter(
            amu_case__case=case, answered_at__isnull=True, expired=False
        )
        .order_by("-asked_at", "-id")
        .first()
    )


@operations.register("amu.information_received")
def information_received(*, case, answer: str) -> dict:
    """``store_answer``: the submitter answered."""
    request = _open_request(case)
    if request is not None:
        request.answer = answer
        request.answered_at = timezone.now()
        request.save(update_fields=["answer", "answered_at"])
    return {"answered": True}


@operations.register("amu.information_expired")
def information_expired(*, case) -> dict:
    """``note_no_answer``: the deadline passed without an answer."""
    request = _open_request(case)
    if request is not None:
        request.expired = True
        request.save(update_fields=["expired"])
    return {"answered": False}


@operations.register("amu.route")
def route(*, case, body: str, kind: str, site: str, is_building_case: bool,
          needs_consent: str) -> dict:
    """``assign_body``: the routing table chose the body; the classification
    the secretary confirmed at screening is stored with the case."""
    amu_case = _amu_case(case)
    amu_case.body = Body.objects.get(code=body)
    amu_case.kind = kind
    amu_case.site = "" if site == "all" else site
    amu_case.is_building_case = bool(is_building_case)
    amu_case.needs_consent = bool(is_building_case) and needs_consent == "yes"
    amu_case.save(update_fields=["body", "kind", "site", "is_building_case", "needs_consent"])
    return {"body": body}


@operations.register("amu.schedule")
def schedule(*, case, meeting_date: str) -> dict:
    """``place_on_agenda``: put the case on its body's open meeting that day.

    No such meeting: ``scheduled`` is false and the process asks again,
    rather than stopping the case with an error.
    """
    amu_case = _amu_case(case)
    meeting = Meeting.objects.filter(
        body=amu_case.body, date=date.fromisoformat(meeting_date),
        status__in=[MeetingStatus.PLANNED, MeetingStatus.PUBLISHED],
    ).first()
    if meeting is None:
        return {"scheduled": False}
    number = case_number_for(amu_case=amu_case, body=meeting.body, year=meeting.date.year)
    item = AgendaItem.objects.filter(meeting=meeting, amu_case=amu_case).first()
    if item is None:
        last = meeting.items.order_by("-position").values_list("position", flat=True).first()
        item = AgendaItem.objects.create(
            meeting=meeting, amu_case=amu_case, number=number, kind=amu_case.kind,
            position=(last or 0) + 1,
        )
    return {"scheduled": True, "meeting_id": meeting.pk, "number": str(number.label)}


def _item(amu_case: AmuCase, meeting_date: str) -> AgendaItem | None:
    return (
        AgendaItem.objects.filter(
            amu_case=amu_case, meeting__body=amu_case.body,
            meeting__date=date.fromisoformat(meeting_date),
        )
        .select_related("meeting")
        .first()
    )


@operations.register("amu.decision")
def decision(*, case, meeting_date: str = "") -> dict:
    """``read_decision``: what the meeting decided, read from the minutes.

    ``pending`` while nothing is recorded, ``unscheduled`` if the case was
    taken off the agenda. Follow-up actions come back as routing data for the
    owners' tasks.
    """
    amu_case = _amu_case(case)
    item = _item(amu_case, meeting_date) if meeting_date else None
    if item is None:
        return {"decision": "unscheduled", "actions": []}
    if not item.outcome:
        return {"decision": "pending", "actions": []}
    actions = [
        {"id": a.pk, "title": a.title, "owner": a.owner.get_username(),
         "deadline": a.deadline.isoformat()}
        for a in item.actions.select_related("owner").order_by("deadline", "id")
    ]
    return {"decision": item.outcome, "actions": actions}


@operations.register("amu.refer")
def refer(*, case) -> dict:
    """``refer``: the case moves to the body above (the building arm's or a
    SAMU's referral to AMU) and continues there as the same case."""
    amu_case = _amu_case(case)
    parent = amu_case.body.parent if amu_case.body else None
    if parent is None:
        raise ValueError(f"{amu_case.body} has no body to refer cases to")
    amu_case.body = parent
    amu_case.save(update_fields=["body"])
    return {"body": parent.code}


def _final_item(amu_case: AmuCase) -> AgendaItem | None:
    return (
        amu_case.agenda_items.filter(outcome__in=[Outcome.ADOPTED, Outcome.REJECTED])
        .order_by("-decided_at", "-id")
        .first()
    )


@operations.register("amu.consent_application")
def consent_application(*, case, reference: str, sent_on: str) -> dict:
    """``store_application``: the statement (the final decision's text) went
    with the application to the Labour Inspection Authority."""
    amu_case = _amu_case(case)
    item = _final_item(amu_case)
    record, _created = ConsentRecord.objects.get_or_create(amu_case=amu_case)
    record.statement = item.decision_text if item else ""
    record.statement_item = item
    record.application_reference = reference
    record.application_sent_on = date.fromisoformat(sent_on)
    record.save()
    return {"consent_record_id": record.pk}


@operations.register("amu.consent_answer")
def consent_answer(*, case, answer: str, answer_date: str, conditions: str = "") -> dict:
    """``store_authority_answer``: consent, consent with conditions, or refusal."""
    record = ConsentRecord.objects.get(amu_case__case=case)
    record.answer = ConsentAnswer(answer)
    record.answer_date = date.fromisoformat(answer_date)
    record.conditions = conditions or ""
    record.save(update_fields=["answer", "answer_date", "conditions"])
    return {"answer": answer}


@operations.register("amu.action_report")
def action_report(*, case, action_id: int, status: str, comment: str = "") -> dict:
    """``report_action``: the owner reported the follow-up action."""
    action = FollowUpAction.objects.get(pk=action_id, amu_case__case=case)
    action.status = ActionStatus(status)
    action.comment = comment or ""
    action.completed_at = timezone.now()
    action.save(update_fields=["status", "comment", "completed_at"])
    return {"id": action.pk, "status": action.status}


@operations.register("amu.convene_extra_meeting")
def convene_extra_meeting(*, case, body: str, meeting_date: str, start_time: str,
                          location: str = "", demand_ids=()) -> dict:
    """``create_meeting`` (amu_extra_meeting): the meeting two members demanded.

    A meeting the body already has that day becomes the extra meeting.
    """
    meeting, _created = Meeting.objects.get_or_create(
        body=Body.objects.get(code=body), date=date.fromisoformat(meeting_date),
        defaults={"start_time": time.fromisoformat(start_time), "location": location or "",
                  "extra": True},
    )
    if not meeting.extra:
        meeting.extra = True
        meeting.save(update_fields=["extra"])
    ExtraMeetingDemand.objects.filter(pk__in=list(demand_ids)).update(meeting=meeting)
    return {"meeting_id": meeting.pk}
