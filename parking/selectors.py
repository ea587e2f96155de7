"""Reads of the near-parking app: waiting lists and ranks, the allocation
board, the assessment queue, an applicant's applications."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from cases.models import Case, Task, TaskState
from cases.parties import exclude_disqualified
from parking.dates import RENEWAL_NOTICE_DAYS
from parking.models import (
    Appeal,
    Application,
    ApplicationStatus,
    Assessment,
    Decision,
    HealthDataRead,
    Offer,
    OfferStatus,
    Permit,
    PermitStatus,
    Zone,
)
from parking.roles import OCCUPATIONAL_PHYSIOTHERAPIST, PARKING_OFFICER, PROCESS_ID

ASSESSMENT_TASKS = ("assess", "reassess")
# The officer's open "active permit" task is how a permit is revoked; it is
# no to-do, so it is listed with the permits, not among the tasks.
PERMIT_TASK = "permit_active"
APPLICANT_TASKS = ("supply_documentation", "appeal", "keep_appeal")


def waitlist(zone: Zone) -> QuerySet:
    """Waiting applications of a zone in ranking order (``parking.scoring``)."""
    return (
        Application.objects.filter(zone=zone, status=ApplicationStatus.WAITLISTED)
        .select_related("applicant")
        .order_by("priority_group", "-score", "submitted_at", "pk")
    )


def rank_of(application: Application) -> int | None:
    """1-based place on the zone's waiting list; None if not waiting."""
    if application.status != ApplicationStatus.WAITLISTED:
        return None
    group, score, at = application.priority_group, application.score, application.submitted_at
    ahead = Application.objects.filter(
        zone_id=application.zone_id, status=ApplicationStatus.WAITLISTED
    ).filter(
        Q(priority_group__lt=group)
        | Q(priority_group=group, score__gt=score)
        | Q(priority_group=group, score=score, submitted_at__lt=at)
        | Q(priority_group=group, score=score, submitted_at=at, pk__lt=application.pk)
    )
    return ahead.count() + 1


def latest_assessment(application: Application) -> Assessment | None:
    return application.assessments.order_by("-recorded_at", "-id").first()


def application_for_case(case: Case) -> Application | None:
    """The application an application case or an offer case is about."""
    return (
        Application.objects.select_related("zone", "applicant")
        .filter(Q(case=case) | Q(offers__case=case) | Q(appeals__case=case))
        .first()
    )


def open_tasks(*, process_tasks: QuerySet | None = None) -> QuerySet:
    tasks = process_tasks if process_tasks is not None else Task.objects.all()
    return tasks.filter(
        state=TaskState.READY, case__definition__process_id=PROCESS_ID
    ).select_related("case", "assignee", "candidate_group")


def applications_by_case(cases) -> dict[int, Application]:
    """Case id → application, for application cases and offer cases alike."""
    case_ids = [c.pk for c in cases]
    result = {}
    for app in Application.objects.filter(case_id__in=case_ids).select_related("zone",
                                                                                  "applicant"):
        result[app.case_id] = app
    for offer in Offer.objects.filter(case_id__in=case_ids).select_related(
        "application__zone", "application__applicant"
    ):
        result[offer.case_id] = offer.application
    for appeal in Appeal.objects.filter(case_id__in=case_ids).exclude(
        case_id__in=list(result)
    ).select_related("application__zone", "application__applicant"):
        result[appeal.case_id] = appeal.application
    return result


@dataclass
class WaitingEntry:
    rank: int
    application: Application
    assessment: Assessment | None


@dataclass
class ZoneBoard:
    zone: Zone
    permits: list[Permit]
    expiring: list[Permit]
    offers: list[Offer]
    waiting: list[WaitingEntry]
    tasks: list = field(default_factory=list)

    @property
    def active_count(self) -> int:
        return len(self.permits)


def zone_board(zone: Zone, *, tasks_by_zone: dict | None = None) -> ZoneBoard:
    today = timezone.localdate()
    permits = list(
        Permit.objects.filter(zone=zone, status=PermitStatus.ACTIVE)
        .select_related("holder", "application").order_by("valid_to", "pk")
    )
    soon = today + timedelta(days=RENEWAL_NOTICE_DAYS)
    waiting_apps = list(waitlist(zone))
    latest = {}
    for assessment in Assessment.objects.filter(application__in=waiting_apps).order_by(
        "recorded_at", "id"
    ):
        latest[assessment.application_id] = assessment
    return ZoneBoard(
        zone=zone,
        permits=permits,
        expiring=[p for p in permits if p.valid_to <= soon],
        offers=list(Offer.objects.filter(zone=zone, status=OfferStatus.OPEN)
                    .select_related("application__applicant", "case")),
        waiting=[WaitingEntry(i, app, latest.get(app.pk))
                 for i, app in enumerate(waiting_apps, start=1)],
        tasks=(tasks_by_zone or {}).get(zone.pk, []),
    )


def officer_tasks_by_zone(user=None) -> tuple[dict[int, list], list]:
    """Open tasks of the case officers' lane, grouped by zone; and the rest.
    With ``user``: without the tasks of cases they are a party to."""
    tasks = open_tasks().filter(candidate_group__name=PARKING_OFFICER).exclude(
        bpmn_id__in=(PERMIT_TASK, *APPLICANT_TASKS)
    )
    if user is not None:
        tasks = exclude_disqualified(tasks, user)
    tasks = list(tasks.order_by("due_at", "created_at"))
    apps = applications_by_case([t.case for t in tasks])
    grouped: dict[int, list] = {}
    loose = []
    for task in tasks:
        app = apps.get(task.case_id)
        task.application = app
        if app is None:
            loose.append(task)
        else:
            grouped.setdefault(app.zone_id, []).append(task)
    return grouped, loose


def permit_tasks(permits) -> dict[int, Task]:
    """Permit id → its open "active permit" task (to revoke it)."""
    by_case = {p.case_id: p.pk for p in permits}
    return {
        by_case[t.case_id]: t
        for t in open_tasks().filter(bpmn_id=PERMIT_TASK, case_id__in=list(by_case))
    }


def assessment_queue(user=None) -> list[Task]:
    """Open assessments; with ``user``, without those of cases the user is
    a party to or declared a conflict in (``cases.parties``)."""
    tasks = open_tasks().filter(bpmn_id__in=ASSESSMENT_TASKS,
                                candidate_group__name=OCCUPATIONAL_PHYSIOTHERAPIST)
    if user is not None:
        tasks = exclude_disqualified(tasks, user)
    tasks = list(tasks.order_by("due_at", "created_at"))
    apps = applications_by_case([t.case for t in tasks])
    for task in tasks:
        task.application = apps.get(task.case_id)
    return tasks


def first_assessor(case: Case):
    """Who did the first functional assessment of a case (four-eyes hint)."""
    task = Task.objects.filter(case=case, bpmn_id="assess", state=TaskState.COMPLETED).order_by(
        "-completed_at"
    ).select_related("completed_by").first()
    return task.completed_by if task else None


def applicant_task(application: Application, bpmn_id: str) -> Task | None:
    """The applicant's open task (send documentation, appeal) of this application."""
    case_ids = [application.case_id, *application.offers.values_list("case_id", flat=True),
                *application.appeals.exclude(case=None).values_list("case_id", flat=True)]
    return (
        Task.objects.filter(case_id__in=case_ids, bpmn_id=bpmn_id, state=TaskState.READY)
        .select_related("case").first()
    )


def applications_of(user) -> list[Application]:
    apps = list(
        Application.objects.filter(applicant=user).select_related("zone", "case")
        .prefetch_related("decisions", "permits", "documentation_requests")
        .order_by("-submitted_at")
    )
    for app in apps:
        app.rank = rank_of(app)
        app.active_permit = next(
            (p for p in app.permits.all() if p.status == PermitStatus.ACTIVE), None
        )
        app.latest_permit = max(app.permits.all(), key=lambda p: p.pk, default=None)
        app.latest_decision = max(app.decisions.all(), key=lambda d: d.pk, default=None)
        app.documentation_task = applicant_task(app, "supply_documentation")
        app.appeal_task = applicant_task(app, "appeal")
        app.open_request = next(
            (r for r in app.documentation_requests.all() if r.answered_at is None), None
        )
    return apps


def decisions_of(application: Application) -> list[Decision]:
    return list(application.decisions.select_related("zone", "permit", "assessment"))


def party_assessments(application: Application) -> list[Assessment]:
    """Every assessment of the application, with its note: the party's right
    to see their case (fvl. § 18)."""
    return list(application.assessments.order_by("recorded_at", "id"))


def health_data_readers(application: Application) -> QuerySet:
    """Who else read the application's health information, newest first
    (the applicant's own reads left out); page it."""
    return (
        HealthDataRead.objects.filter(application=application, allowed=True)
        .exclude(reader_id=application.applicant_id)
        .select_related("reader").order_by("-at", "-id")
    )


APPEAL_BODY_TASK = "appeal_body_decision"


def appeals_before_body() -> QuerySet:
    """The appeals sent to the appeal body, those still to decide first and
    then the newest; each with ``open_task`` (annotated: its open decision
    task's id, or None once decided). One query per page, whatever its size."""
    from django.db.models import F, OuterRef, Subquery

    open_task = Task.objects.filter(
        case_id=OuterRef("case_id"), bpmn_id=APPEAL_BODY_TASK, state=TaskState.READY
    ).values("pk")[:1]
    return (
        Appeal.objects.filter(forwarded_at__isnull=False)
        .annotate(open_task=Subquery(open_task))
        .select_related("application__zone", "application__applicant", "case", "decision")
        .order_by(F("open_task").asc(nulls_last=True), "forwarded_at", "pk")
    )


def reassessed_on_appeal(decision: Decision) -> bool:
    """A physiotherapist assessed the application again in the appeal this
    decision ends (not so in the appeal of a revocation or a declined offer)."""
    if not decision.after_appeal:
        return False
    return Task.objects.filter(case_id=decision.case_id, bpmn_id="reassess",
                               state=TaskState.COMPLETED).exists()


def changed_in_favour(decision: Decision) -> bool:
    """A decision after an appeal that changes the decision appealed in the
    applicant's favour (they may claim their costs, fvl. § 36)."""
    if decision.by_appeal_body:
        return decision.appeal_result == "allowed"
    return decision.after_appeal and decision.appeal_result == "reversed"
