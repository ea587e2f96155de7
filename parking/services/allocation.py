"""What the near-parking process's service tasks do (``parking.operations``).

Each function runs inside the engine step's transaction, with the calling
case locked. Zones are locked next (``lock_zones``), then applications: one
order everywhere, so concurrent steps queue up instead of deadlocking.
"""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from cases.calendar import calendar_deadline
from notifications.models import Kind
from notifications.services import email_notice_time, notify
from org.selectors import primary_unit_for_user
from parking.conf import renewal_keeps_spot
from parking.dates import (
    MAX_PERMIT_MONTHS,
    appeal_deadline,
    expiry_moment,
    permit_period,
    renewal_reminder_moment,
)
from parking.models import (
    Appeal,
    Application,
    ApplicationStatus,
    Assessment,
    AssessmentKind,
    Decision,
    DocumentationRequest,
    Offer,
    OfferStatus,
    Outcome,
    Permit,
    PermitStatus,
    Zone,
)
from parking.roles import PROCESS_ID
from parking.scoring import Score
from parking.selectors import latest_assessment, rank_of, waitlist
from parking.services.retention import health_data_purge_schedule
from parking.services.zones import lock_zones, release_spot, restore_spot, take_spot

DOCUMENTATION_DAYS = 14
REVOCATION_REPLY_DAYS = 14  # time to comment on an advance notice (fvl. § 16)

# Statuses in which an application is still before its first decision and
# may therefore follow the step it is in; a waiting one keeps its place.
KEEPS_STATUS = (ApplicationStatus.WAITLISTED, ApplicationStatus.OFFERED,
                ApplicationStatus.GRANTED)


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


def _set_status(app: Application, status: str) -> None:
    if app.status not in KEEPS_STATUS:
        app.status = status
        app.save(update_fields=["status", "updated_at"])


def documentation_request(*, case, application_id: int, text: str) -> dict:
    """Record what is missing and until when the applicant may send it."""
    app = Application.objects.get(pk=application_id)
    due = datetime.fromisoformat(calendar_deadline(timezone.now(), DOCUMENTATION_DAYS))
    DocumentationRequest.objects.create(application=app, case=case, text=text, due_at=due)
    _set_status(app, ApplicationStatus.AWAITING_DOCUMENTATION)
    return {"due": due.isoformat()}


def application_close_incomplete(*, case, application_id: int) -> dict:
    app = Application.objects.get(pk=application_id)
    _set_status(app, ApplicationStatus.INCOMPLETE)
    health_data_purge_schedule(app)
    return {"outcome": "incomplete"}


def assessment_record(
    *, case, application_id: int, round: int, kind: str, function_score, distance_score,
    days_score, temporary: bool, priority_group: int, permit_months: int,
) -> dict:
    """Store the scored assessment. The ranking fields of the application
    change only with the decision that uses it (``decision_make``), so an
    appeal cannot move a waiting application before it is decided."""
    app = Application.objects.get(pk=application_id)
    score = Score(
        function=int(function_score) if kind == AssessmentKind.FUNCTIONAL else 0,
        distance=int(distance_score),
        days=int(days_score),
        temporary=bool(temporary) and kind == AssessmentKind.FUNCTIONAL,
    )
    assessment = Assessment.objects.create(
        application=app, case=case, round=int(round), kind=kind,
        function_score=score.function, distance_score=score.distance, days_score=score.days,
        temporary=score.temporary, total=score.total, priority_group=int(priority_group),
        permit_months=int(permit_months),
    )
    _set_status(app, ApplicationStatus.ASSESSED)
    return {"assessment_id": assessment.pk, "score_total": score.total}


def _end_permit(permit: Permit, zone: Zone, *, status: str, reason: str, note: str = "") -> None:
    permit.status = status
    permit.end_reason = reason
    permit.ended_at = timezone.now()
    permit.revocation_reason = note
    permit.save(update_fields=["status", "end_reason", "ended_at", "revocation_reason"])
    release_spot(zone)


def is_partial_grant(permit: Permit | None, app: Application) -> bool:
    """A permit shorter than applied for (six months for a need the
    physiotherapist found temporary, where the applicant asked for a year or
    a later date) is partly a refusal, and can be appealed (fvl. § 28)."""
    if permit is None:
        return False
    asked = permit_period(permit.valid_from, MAX_PERMIT_MONTHS,
                          app.temporary_until if app.duration == "temporary" else None)[1]
    return permit.valid_to < asked


def _grant(app: Application, zone: Zone, zones: dict, case, months: int,
           current: Permit | None, *, keep_own_spot: bool = False,
           restore: bool = False) -> Permit | None:
    """Give the application a permit if it may have a spot; None if the zone is full.

    A spot held for the application's open offer is used first; a holder
    renewing in the same zone keeps their own spot (unless the setting
    PARKING_RENEWAL_KEEPS_SPOT is False); otherwise a free spot
    is taken. A permit the person holds elsewhere ends ("replaced"). With
    ``restore`` (a revocation reversed on appeal) the permit is given back
    even if the spot was passed on meanwhile (``restore_spot``).
    """
    offer = app.offers.filter(status=OfferStatus.OPEN).first()
    if offer is not None:
        offer.status = OfferStatus.ACCEPTED
        offer.closed_at = timezone.now()
        offer.save(update_fields=["status", "closed_at"])
        held = True
    elif current is not None and current.zone_id == zone.pk and (
        renewal_keeps_spot() or keep_own_spot
    ):
        held = True  # the renewing holder's own spot passes to the new permit
        _end_permit(current, zone, status=PermitStatus.EXPIRED, reason="replaced")
        take_spot(zone)
        current = None
    elif restore:
        restore_spot(zone)
        held = True
    else:
        held = take_spot(zone)
    if not held:
        return None
    if current is not None:
        _end_permit(current, zones[current.zone_id], status=PermitStatus.EXPIRED,
                    reason="replaced")
    valid_from, valid_to = permit_period(
        timezone.localdate(), months,
        app.temporary_until if app.duration == "temporary" else None,
    )
    return Permit.objects.create(
        application=app, holder=app.applicant, zone=zone, case=case,
        vehicle_reference=app.vehicle_reference, valid_from=valid_from, valid_to=valid_to,
    )


def decision_make(*, case, application_id: int, decision: str, reasons: str = "",
                  round: int = 0, by_appeal_body: bool = False,
                  appeal_result: str = "") -> dict:
    """Carry out the officer's allocation: grant, waiting list or rejection.

    Capacity is decided here, with the zone locked: a grant for a full zone
    becomes a place on the waiting list (the letter says so), never an
    overfilled zone. Writes the decision letter's record and tells the
    applicant (a generic notification: the process is confidential).
    """
    app = Application.objects.get(pk=application_id)
    current = Permit.objects.filter(holder_id=app.applicant_id,
                                    status=PermitStatus.ACTIVE).first()
    zone_ids = [app.zone_id] + ([current.zone_id] if current and decision == "grant" else [])
    zones = lock_zones(*zone_ids)
    zone = zones[app.zone_id]
    app = Application.objects.select_for_update().get(pk=application_id)
    after_appeal = int(round) > 0
    # An appeal of a partial grant allowed: the permit is widened to the full term.
    appeal = pending_appeal(app) if after_appeal else None
    widening = bool(decision == "grant" and appeal is not None
                    and appeal.decision.outcome == Outcome.GRANTED
                    and current is not None and current.application_id == app.pk)
    if after_appeal and not widening and app.status in (ApplicationStatus.OFFERED,
                                                        ApplicationStatus.GRANTED):
        # A freed spot reached the application while its appeal was assessed.
        return {"outcome": "superseded", "decision_id": 0, "rank": 0,
                "appeal_deadline_at": "", "permit_expires_at": "", "renewal_reminder_at": ""}

    assessment = latest_assessment(app)
    if assessment is not None:
        app.score, app.priority_group = assessment.total, assessment.priority_group
    months = assessment.permit_months if assessment else MAX_PERMIT_MONTHS
    if widening:
        months = MAX_PERMIT_MONTHS
    permit, requested_grant = None, decision == "grant"
    # A revocation found wrong on appeal: the holder gets the permit back.
    restore = bool(decision == "grant" and appeal is not None
                   and appeal.decision.outcome == Outcome.REVOKED)
    if decision == "grant":
        permit = _grant(app, zone, zones, case, months, current, keep_own_spot=widening,
                        restore=restore)
        outcome = Outcome.GRANTED if permit else Outcome.WAITLISTED
    elif decision == "waitlist":
        outcome = Outcome.WAITLISTED
    else:
        outcome = Outcome.REJECTED
    app.status = {
        Outcome.GRANTED: ApplicationStatus.GRANTED,
        Outcome.WAITLISTED: ApplicationStatus.WAITLISTED,
        Outcome.REJECTED: ApplicationStatus.REJECTED,
    }[outcome]
    app.save(update_fields=["status", "score", "priority_group", "updated_at"])

    now = timezone.now()
    appealable = not after_appeal and (
        outcome != Outcome.GRANTED or is_partial_grant(permit, app))
    # The e-mail notice brings the decision to the applicant now; without an
    # e-mail address it arrives when they first read it (``decision_delivered``).
    delivered = _notice_reaches(app.applicant, now)
    deadline = appeal_deadline(delivered) if appealable and delivered else None
    record = Decision.objects.create(
        application=app, case=case, zone=zone, outcome=outcome,
        reasons=reasons if outcome != Outcome.GRANTED or after_appeal else "",
        requested_grant=requested_grant and outcome == Outcome.WAITLISTED,
        assessment=assessment, rank=rank_of(app), permit=permit,
        after_appeal=after_appeal, appeal_deadline=deadline, delivered_at=delivered,
        by_appeal_body=by_appeal_body, appeal_result=appeal_result or (
            "reversed" if after_appeal else ""),
    )
    health_data_purge_schedule(app, record)
    # Spots freed by a replaced permit, or a free spot left next to a waiting
    # list (the officer waitlisted although a spot was free), go on offer.
    for locked in zones.values():
        offer_free_spots(locked)
    notify(users=[app.applicant], kind=Kind.STATUS_CHANGED, case=case,
           extra={"status_label": str(Outcome(outcome).label)})
    return {
        "outcome": str(outcome),
        "decision_id": record.pk,
        "rank": record.rank or 0,
        "appeal_deadline_at": _iso(deadline),
        "permit_expires_at": _iso(expiry_moment(permit.valid_to)) if permit else "",
        "renewal_reminder_at": _iso(renewal_reminder_moment(permit.valid_to)) if permit else "",
    }


def _notice_reaches(user, now=None):
    """When the e-mail notice of a decision reaches the applicant: now, or
    the next morning for who gets a daily digest (fvl. § 29: the period
    runs from then); None without e-mail (from when they read it)."""
    return email_notice_time(user, Kind.STATUS_CHANGED, now)


def pending_appeal(app: Application) -> Appeal | None:
    """The appeal being handled: the newest one without a final decision
    after it. A partial reversal by the first instance (a place on the
    waiting list instead of the permit appealed for) is not final: the rest
    goes to the appeal body (fvl. § 33) unless the applicant withdraws it."""
    appeal = app.appeals.select_related("decision").order_by("-submitted_at", "-id").first()
    if appeal is None:
        return None
    decided_after = app.decisions.filter(after_appeal=True,
                                         decided_at__gte=appeal.submitted_at).exclude(
        by_appeal_body=False, outcome=Outcome.WAITLISTED).exists()
    return None if decided_after else appeal


def _standing_decision(app: Application, appeal: Appeal | None) -> Decision | None:
    """The decision that stands if the appeal body does not allow the appeal:
    a partial reversal by the first instance, else the decision appealed."""
    if appeal is None:
        return None
    reversal = app.decisions.filter(after_appeal=True, by_appeal_body=False,
                                    decided_at__gte=appeal.submitted_at).order_by(
        "-decided_at", "-id").first()
    return reversal or appeal.decision


def appeal_forward(*, case, application_id: int, statement: str = "") -> dict:
    """fvl. § 33: the first instance kept its decision; the appeal goes to
    the appeal body with the first instance's comments. The applicant is told."""
    app = Application.objects.get(pk=application_id)
    appeal = pending_appeal(app)
    if appeal is None:
        return {"forwarded": False}
    appeal.forwarded_at = timezone.now()
    appeal.statement = statement
    appeal.case = appeal.case or case
    appeal.save(update_fields=["forwarded_at", "statement", "case"])
    notify(users=[app.applicant], kind=Kind.STATUS_CHANGED, case=case,
           extra={"status_label": str(_("Sent to the appeal body"))})
    return {"forwarded": True, "late": appeal.late}


def appeal_decide(*, case, application_id: int, result: str, decision: str = "",
                  reasons: str = "") -> dict:
    """The appeal body's decision, which is final: allowed (a new decision),
    not allowed, or not heard because it came too late (fvl. § 31). The
    decision appealed stands in the last two, and the letter says why."""
    app = Application.objects.get(pk=application_id)
    appeal = pending_appeal(app)
    if result != "allowed" or not decision:
        standing = _standing_decision(app, appeal)
        appealed = standing.outcome if standing else Outcome.REJECTED
        if appealed in (Outcome.REVOKED, Outcome.DECLINED, Outcome.GRANTED):
            return _stands(case, app, standing, reasons=reasons, result=result)
        decision = "waitlist" if appealed == Outcome.WAITLISTED else "reject"
    return decision_make(case=case, application_id=application_id, decision=decision,
                         reasons=reasons, round=1, by_appeal_body=True, appeal_result=result)


def _stands(case, app: Application, standing: Decision, *, reasons: str, result: str) -> dict:
    """The appeal body kept a revocation, a closed application or a partial
    grant: its letter, nothing else changes."""
    record = Decision.objects.create(
        application=app, case=case, zone=standing.zone, outcome=standing.outcome,
        reasons=reasons, assessment=latest_assessment(app), after_appeal=True,
        by_appeal_body=True, appeal_result=result, delivered_at=(
            _notice_reaches(app.applicant)),
    )
    health_data_purge_schedule(app, record)
    notify(users=[app.applicant], kind=Kind.STATUS_CHANGED, case=case,
           extra={"status_label": str(Outcome(standing.outcome).label)})
    return {"outcome": str(standing.outcome), "decision_id": record.pk, "rank": 0,
            "appeal_deadline_at": "", "permit_expires_at": "", "renewal_reminder_at": ""}


def permit_end(*, case, application_id: int, reason: str, note: str = "") -> dict:
    """Expiry or revocation: the permit ends, its spot is offered on."""
    permit = (
        Permit.objects.filter(application_id=application_id, case=case).order_by("-pk").first()
    )
    if permit is None or permit.status != PermitStatus.ACTIVE:
        # Already replaced by a renewal: nothing to free.
        return {"outcome": permit.end_reason if permit else "ended"}
    zone = lock_zones(permit.zone_id)[permit.zone_id]
    permit = Permit.objects.select_for_update().get(pk=permit.pk)
    status = PermitStatus.REVOKED if reason == "revoked" else PermitStatus.EXPIRED
    _end_permit(permit, zone, status=status, reason=reason, note=note)
    offer_free_spots(zone)
    if reason == "revoked":
        _revocation_decision(permit, case, note)
        notify(users=[permit.holder], kind=Kind.STATUS_CHANGED, case=case,
               extra={"status_label": str(PermitStatus.REVOKED.label)})
    return {"outcome": reason}


def revocation_notify(*, case, application_id: int, reason: str) -> dict:
    """fvl. § 16: tell the holder that the permit is to be revoked and why;
    they may comment within two weeks before the officer decides."""
    permit = Permit.objects.filter(application_id=application_id, case=case,
                                   status=PermitStatus.ACTIVE).order_by("-pk").first()
    due = datetime.fromisoformat(calendar_deadline(timezone.now(), REVOCATION_REPLY_DAYS))
    if permit is not None:
        permit.revocation_notice_at = timezone.now()
        permit.revocation_reply_due = due
        permit.revocation_reason = reason
        permit.revocation_comment = ""
        permit.save(update_fields=["revocation_notice_at", "revocation_reply_due",
                                   "revocation_reason", "revocation_comment"])
        notify(users=[permit.holder], kind=Kind.STATUS_CHANGED, case=case,
               extra={"status_label": str(_("Advance notice of revocation"))})
    return {"reply_due": due.isoformat(), "active": permit is not None}


def _revocation_decision(permit: Permit, case, reasons: str) -> Decision:
    """The revocation is a decision: a letter with the reasons and the right
    to appeal (fvl. §§ 24, 27); the application no longer says "granted"."""
    app = permit.application
    app.status = ApplicationStatus.REVOKED
    app.save(update_fields=["status", "updated_at"])
    now = timezone.now()
    delivered = _notice_reaches(permit.holder, now)
    decision = Decision.objects.create(
        application=app, case=case, zone=permit.zone, outcome=Outcome.REVOKED,
        reasons=reasons, assessment=latest_assessment(app), permit=None,
        appeal_deadline=appeal_deadline(delivered) if delivered else None,
        delivered_at=delivered,
    )
    health_data_purge_schedule(app, decision)
    return decision


def renewal_remind(*, case, application_id: int) -> dict:
    """Thirty days before expiry: remind the holder to apply again."""
    permit = Permit.objects.filter(application_id=application_id, case=case,
                                   status=PermitStatus.ACTIVE).first()
    if permit is None or permit.renewal_reminded_at is not None:
        return {"reminded": False}  # none, or reminded before a kept revocation
    permit.renewal_reminded_at = timezone.now()
    permit.save(update_fields=["renewal_reminded_at"])
    notify(users=[permit.holder], kind=Kind.REMINDER, case=case)
    return {"reminded": True}


def offer_decline(*, case, application_id: int) -> dict:
    """The offered applicant declined or no longer needs the spot: the
    application is withdrawn and the spot goes to the next on the list."""
    offer = Offer.objects.get(case=case)
    zone = lock_zones(offer.zone_id)[offer.zone_id]
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.status != OfferStatus.OPEN:
        return {"outcome": "declined"}
    offer.status = OfferStatus.DECLINED
    offer.closed_at = timezone.now()
    offer.save(update_fields=["status", "closed_at"])
    app = Application.objects.select_related("applicant").get(pk=application_id)
    app.status = ApplicationStatus.WITHDRAWN
    app.save(update_fields=["status", "updated_at"])
    # Closing the application is a decision too: a letter with the right to appeal.
    delivered = _notice_reaches(app.applicant)
    decision = Decision.objects.create(
        application=app, case=case, zone=zone, outcome=Outcome.DECLINED,
        assessment=latest_assessment(app), delivered_at=delivered,
        appeal_deadline=appeal_deadline(delivered) if delivered else None,
    )
    health_data_purge_schedule(app, decision)
    notify(users=[app.applicant], kind=Kind.STATUS_CHANGED, case=case,
           extra={"status_label": str(Outcome.DECLINED.label)})
    release_spot(zone)
    offer_free_spots(zone)
    return {"outcome": "declined"}


def offer_free_spots(zone: Zone) -> list[Offer]:
    """Offer every free spot of a locked zone to the highest-ranked waiting
    application: the spot is held for it and a new case gives the case
    officer the task of granting it (with the ranking shown)."""
    from cases.services import case_start  # cases.services imports the operations' apps

    offers = []
    while zone.free > 0:
        first = waitlist(zone).select_for_update(of=("self",)).first()
        if first is None:
            break
        rank = 1
        take_spot(zone)
        first.status = ApplicationStatus.OFFERED
        first.save(update_fields=["status", "updated_at"])
        offer = Offer.objects.create(application=first, zone=zone, rank=rank)
        offer_case = case_start(
            process_id=PROCESS_ID,
            title=case_title(_("Near-parking offer: %(zone)s"), zone),
            data=offer_case_data(first),
            reporter=first.applicant,
            unit=primary_unit_for_user(user=first.applicant),
        )
        offer.case = offer_case
        offer.save(update_fields=["case"])
        offers.append(offer)
    return offers


def case_title(template, zone: Zone) -> str:
    """Case titles are stored once, in the site's language (Norwegian), and
    name only the zone: no health information."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(template) % {"zone": zone.name}


def application_case_data(app: Application, *, entry: str) -> dict:
    """Routing fields only: ids, codes, dates. No health information."""
    return {
        "application_id": app.pk,
        "entry": entry,
        "reason_type": app.reason,
        "applicant": app.applicant.get_username(),
        "zone": app.zone.code,
        "zone_name": app.zone.name,
        "submitted_at": app.submitted_at.isoformat(),
        "appeal_round": 0,
    }


def offer_case_data(app: Application) -> dict:
    return application_case_data(app, entry="offer")


def zone_capacity_changed(zone_id: int) -> list[Offer]:
    """After an HSE administrator raised a zone's capacity: offer the new spots."""
    with transaction.atomic():
        zone = lock_zones(zone_id)[zone_id]
        return offer_free_spots(zone)
