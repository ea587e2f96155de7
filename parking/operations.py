"""Operations the near_parking process calls from its service tasks.

Thin: each hands its parameters to ``parking.services.allocation`` and
returns the small routing dict the BPMN needs (ids, outcomes, timer dates).
"""

from cases import operations
from parking.services import allocation


@operations.register("parking.request_documentation")
def request_documentation(*, case, application_id, request: str) -> dict:
    return allocation.documentation_request(case=case, application_id=int(application_id),
                                            text=request)


@operations.register("parking.close_incomplete")
def close_incomplete(*, case, application_id) -> dict:
    return allocation.application_close_incomplete(case=case,
                                                   application_id=int(application_id))


@operations.register("parking.record_assessment")
def record_assessment(*, case, application_id, **scores) -> dict:
    return allocation.assessment_record(case=case, application_id=int(application_id), **scores)


@operations.register("parking.decide")
def decide(*, case, application_id, decision: str, reasons: str = "", round=0) -> dict:
    return allocation.decision_make(case=case, application_id=int(application_id),
                                    decision=decision, reasons=reasons or "", round=int(round))


@operations.register("parking.end_permit")
def end_permit(*, case, application_id, reason: str, note: str = "") -> dict:
    return allocation.permit_end(case=case, application_id=int(application_id), reason=reason,
                                 note=note or "")


@operations.register("parking.remind_renewal")
def remind_renewal(*, case, application_id) -> dict:
    return allocation.renewal_remind(case=case, application_id=int(application_id))


@operations.register("parking.decline_offer")
def decline_offer(*, case, application_id) -> dict:
    return allocation.offer_decline(case=case, application_id=int(application_id))


@operations.register("parking.forward_appeal")
def forward_appeal(*, case, application_id, statement: str = "") -> dict:
    return allocation.appeal_forward(case=case, application_id=int(application_id),
                                     statement=statement or "")


@operations.register("parking.decide_appeal")
def decide_appeal(*, case, application_id, result: str, decision: str = "",
                  reasons: str = "") -> dict:
    return allocation.appeal_decide(case=case, application_id=int(application_id),
                                    result=result, decision=decision or "",
                                    reasons=reasons or "")


@operations.register("parking.notify_revocation")
def notify_revocation(*, case, application_id, reason: str = "") -> dict:
    return allocation.revocation_notify(case=case, application_id=int(application_id),
                                        reason=reason or "")
