"""Tertial statistics of HSE deviations, as reported to AMU and the board.

A tertial is four months: 1 = January–April, 2 = May–August,
3 = September–December. A deviation belongs to the tertial it was reported in.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from cases.models import Case, CaseLabel, CaseStatus, Task, TaskState
from incidents.services import PROCESS_ID

OPEN_STATUSES = (CaseStatus.RUNNING, CaseStatus.WAITING, CaseStatus.ERROR)
SEVERITY_ORDER = ("critical", "serious", "less_serious", "")


@dataclass(frozen=True)
class CountRow:
    """One line of a table: a key (severity, category or unit code) and counts."""

    key: str
    name: str
    total: int
    open: int = 0
    closed: int = 0


@dataclass(frozen=True)
class TertialStatistics:
    year: int
    tertial: int
    start: datetime
    end: datetime
    total: int
    open: int
    closed: int
    rejected: int
    cancelled: int
    overdue: int
    injuries: int
    lost_time: int
    by_severity: list[CountRow] = field(default_factory=list)
    by_category: list[CountRow] = field(default_factory=list)
    by_unit: list[CountRow] = field(default_factory=list)


def tertial_bounds(year: int, tertial: int) -> tuple[datetime, datetime]:
    """Start (inclusive) and end (exclusive) of a tertial, in local time."""
    if tertial not in (1, 2, 3):
        raise ValueError(f"A tertial is 1, 2 or 3, not {tertial!r}.")
    first_month = 4 * (tertial - 1) + 1
    start = timezone.make_aware(datetime(year, first_month, 1))
    end_year, end_month = (year + 1, 1) if tertial == 3 else (year, first_month + 4)
    return start, timezone.make_aware(datetime(end_year, end_month, 1))


def tertial_of(moment: datetime) -> int:
    return (timezone.localtime(moment).month - 1) // 4 + 1


def incident_cases(year: int, tertial: int, unit_ids=None) -> QuerySet:
    """Deviations reported in the tertial; only these units' if ``unit_ids`` is given."""
    start, end = tertial_bounds(year, tertial)
    cases = Case.objects.filter(
        definition__process_id=PROCESS_ID, created_at__gte=start, created_at__lt=end
    )
    if unit_ids is not None:
        cases = cases.filter(unit_id__in=list(unit_ids))
    return cases


_OPEN = Q(status__in=OPEN_STATUSES)
_CLOSED = Q(status=CaseStatus.COMPLETED)


def tertial_statistics(year: int, tertial: int, unit_ids=None) -> TertialStatistics:
    """Counts by severity (with "not categorised"), category and unit; open,
    closed and overdue; personal injuries.

    Overdue means open with a task past its due date. Categories count cases,
    so a deviation with two categories counts once in each.
    """
    start, end = tertial_bounds(year, tertial)
    cases = incident_cases(year, tertial, unit_ids)
    overdue_task = Task.objects.filter(
        case=OuterRef("pk"), state=TaskState.READY, due_at__lt=timezone.now()
    )
    totals = cases.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=_OPEN),
        closed=Count("pk", filter=_CLOSED),
        rejected=Count("pk", filter=_CLOSED & Q(outcome="rejected")),
        cancelled=Count("pk", filter=Q(status=CaseStatus.CANCELLED)),
        injuries=Count("pk", filter=Q(incident__injury_actual=True)),
        lost_time=Count("pk", filter=Q(incident__lost_time=True)),
    )
    overdue = cases.filter(_OPEN).filter(Exists(overdue_task)).count()

    per_severity = {
        row["severity"]: row
        for row in cases.values("severity").annotate(
            total=Count("pk"), open=Count("pk", filter=_OPEN), closed=Count("pk", filter=_CLOSED)
        )
    }
    severities = list(SEVERITY_ORDER) + sorted(set(per_severity) - set(SEVERITY_ORDER))
    by_severity = [
        CountRow(
            key=value, name=value, total=per_severity.get(value, {}).get("total", 0),
            open=per_severity.get(value, {}).get("open", 0),
            closed=per_severity.get(value, {}).get("closed", 0),
        )
        for value in severities
    ]

    by_category = [
        CountRow(key=row["value"], name=row["value"], total=row["total"],
                 open=row["open"], closed=row["closed"])
        for row in CaseLabel.objects.filter(case__in=cases, key="categories")
        .values("value")
        .annotate(
            total=Count("case", distinct=True),
            open=Count("case", distinct=True, filter=Q(case__status__in=OPEN_STATUSES)),
            closed=Count("case", distinct=True, filter=Q(case__status=CaseStatus.COMPLETED)),
        )
        .order_by("-total", "value")
    ]

    by_unit = [
        CountRow(key=row["unit__code"] or "", name=row["unit__name"] or "",
                 total=row["total"], open=row["open"], closed=row["closed"])
        for row in cases.values("unit__code", "unit__name")
        .annotate(
            total=Count("pk"), open=Count("pk", filter=_OPEN), closed=Count("pk", filter=_CLOSED)
        )
        .order_by("unit__name")
    ]

    return TertialStatistics(
        year=year, tertial=tertial, start=start, end=end, overdue=overdue,
        by_severity=by_severity, by_category=by_category, by_unit=by_unit, **totals,
    )


# -- the safety representative's reading (aml. § 6-2) ------------------------------

PAGE_SIZE = 50


def safety_representatives_of(unit_id: int | None) -> QuerySet:
    from django.contrib.auth import get_user_model

    from incidents.roles import SAFETY_REPRESENTATIVE

    if unit_id is None:
        return get_user_model().objects.none()
    return get_user_model().objects.filter(
        is_active=True, groups__name=SAFETY_REPRESENTATIVE, unit_memberships__unit_id=unit_id,
    ).distinct()


def area_deviations(unit_ids) -> QuerySet:
    """Deviations of the units, newest first, with their report; nothing
    about people (no reporter is read) and no medical fields are selected."""
    return (
        Case.objects.filter(definition__process_id=PROCESS_ID, unit_id__in=list(unit_ids))
        .select_related("incident", "unit")
        .only(
            "reference", "title", "status", "severity", "outcome", "created_at", "unit__name",
            "incident__incident_type", "incident__event_date", "incident__campus",
            "incident__building", "incident__room", "incident__injury_actual",
            "incident__lost_time",
        )
        .order_by("-created_at", "-pk")
    )


def injury_register(unit_ids=None) -> QuerySet:
    """Deviations where someone was injured (None: every unit), newest
    event first: the register a safety representative may read."""
    cases = (
        Case.objects.filter(definition__process_id=PROCESS_ID, incident__injury_actual=True)
        .select_related("incident", "unit")
        .only(
            "reference", "title", "status", "severity", "created_at", "unit__name",
            "incident__incident_type", "incident__event_date", "incident__campus",
            "incident__building", "incident__room", "incident__lost_time",
        )
        .order_by("-incident__event_date", "-pk")
    )
    if unit_ids is not None:
        cases = cases.filter(unit_id__in=list(unit_ids))
    return cases
