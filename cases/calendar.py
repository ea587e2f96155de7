"""Deadlines in calendar days and in Norwegian working days.

Working days skip Saturdays, Sundays and Norwegian public holidays (from the
``holidays`` package, which knows the moving Easter and Pentecost days).
A deadline falls at the end of the working day, local time.
"""

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.utils import timezone

OSLO = ZoneInfo("Europe/Oslo")
END_OF_WORKING_DAY = time(16, 0)


@lru_cache(maxsize=64)
def _norwegian_holidays(year: int) -> frozenset[date]:
    # include_sundays=False: the package can list every Sunday as a holiday.
    return frozenset(holidays.country_holidays("NO", years=year, include_sundays=False))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _norwegian_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start``; 0 means ``start`` itself
    if it is a working day, else the next working day."""
    day = start
    while not is_working_day(day):
        day += timedelta(days=1)
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def end_of_day(day: date) -> datetime:
    return datetime.combine(day, END_OF_WORKING_DAY, tzinfo=OSLO)


def to_local_date(value: str | date | datetime) -> date:
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        return value.astimezone(OSLO).date()
    return value


def working_deadline(start: str | date | datetime, days: int) -> str:
    """ISO datetime at the end of the working day ``days`` working days after ``start``."""
    return end_of_day(add_working_days(to_local_date(start), int(days))).isoformat()


def calendar_deadline(start: str | date | datetime, days: int) -> str:
    """ISO datetime at the end of the day ``days`` calendar days after ``start``."""
    return end_of_day(to_local_date(start) + timedelta(days=int(days))).isoformat()


def hours_deadline(start: str | datetime, hours: int, block: int = 0) -> str:
    """ISO datetime ``hours`` hours after ``start``, counted round the clock
    (a critical report is due within hours of its arrival, evening or not).

    ``block`` (1 to ``hours``) hides the time of day of ``start`` (an
    anonymous report keeps only its date): the deadline is then counted from
    the start of the ``block``-hour window of the local day that ``start``
    falls in (windows of exact hours from local midnight), not from
    ``start`` itself. It is never later than ``start + hours`` and always
    after ``start``, and it tells only which window ``start`` fell in. With
    ``block == hours`` the deadline is the end of ``start``'s window.
    """
    moment = datetime.fromisoformat(start) if isinstance(start, str) else start
    # In UTC, so adding hours adds elapsed time (across a summer-time change
    # too), not wall-clock time.
    moment = moment.astimezone(UTC)
    hours, block = int(hours), int(block)
    if block:
        if not 0 < block <= hours:
            raise ValueError("block must be between 1 and hours")
        midnight = datetime.combine(moment.astimezone(OSLO).date(), time(0), tzinfo=OSLO)
        midnight = midnight.astimezone(UTC)
        window = timedelta(hours=block)
        moment = midnight + (moment - midnight) // window * window
    return (moment + timedelta(hours=hours)).isoformat()


def transfer_hours_deadline(due: str | datetime, start: str | datetime, hours: int,
                            margin: int = 1) -> str:
    """A critical report's triage deadline after a transfer to another unit.

    It keeps ``due`` (counted from the report's arrival) while at least
    ``margin`` hours of it are left at ``start`` (the transfer); a deadline
    already past or nearer than that gives the new unit a fresh ``hours``
    hours from ``start``, round the clock. The transfer is the handlers' own
    step, shown with its time in the history, so counting from it tells
    nothing of an anonymous report's arrival (its kept ``due`` is the
    block-rounded one).
    """
    kept = datetime.fromisoformat(due) if isinstance(due, str) else due
    moment = datetime.fromisoformat(start) if isinstance(start, str) else start
    if kept - moment >= timedelta(hours=int(margin)):
        return kept.isoformat()
    return hours_deadline(moment, hours)


def is_date_only(moment: datetime | None) -> bool:
    """A moment that keeps only its date: local midnight to the microsecond,
    as ``cases.services.case_keep_date_only`` stamps an anonymous report's
    case, tasks and audit trail (and notifications then copy). Shown with
    the date only."""
    if moment is None:
        return False
    return moment.astimezone(OSLO).timetz().replace(tzinfo=None) == time(0)


def shift_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later; a day the target month
    lacks becomes its last day (31 January + 1 month = 28/29 February)."""
    index = day.year * 12 + day.month - 1 + int(months)
    year, month = divmod(index, 12)
    month += 1
    next_month = date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, min(day.day, (next_month - timedelta(days=1)).day))


def add_months(start: str | date | datetime, months: int) -> str:
    """ISO datetime at the end of the day ``months`` calendar months after ``start``."""
    return end_of_day(shift_months(to_local_date(start), int(months))).isoformat()


def now_iso() -> str:
    """The current time as an ISO string (task data stays plain JSON)."""
    return timezone.now().isoformat()
