"""Dates of permits, appeals and reminders, in Norwegian local time."""

import calendar
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from cases.calendar import OSLO, is_working_day

APPEAL_DAYS = 21  # three weeks
RENEWAL_NOTICE_DAYS = 30
MAX_PERMIT_MONTHS = 12


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def permit_period(start: date, months: int, needed_until: date | None = None) -> tuple[date, date]:
    """First and last valid day: ``months`` long (never over 12), or shorter
    when the applicant needs it only until an earlier day."""
    months = max(1, min(int(months), MAX_PERMIT_MONTHS))
    last = add_months(start, months) - timedelta(days=1)
    if needed_until is not None and start <= needed_until < last:
        last = needed_until
    return start, last


def expiry_moment(valid_to: date) -> datetime:
    """A permit is valid through its last day: it expires at the next midnight."""
    return datetime.combine(valid_to + timedelta(days=1), time(0, 0), tzinfo=OSLO)


def renewal_reminder_moment(valid_to: date) -> datetime:
    """09:00 thirty days before the last valid day (or now, if that has passed)."""
    moment = datetime.combine(valid_to - timedelta(days=RENEWAL_NOTICE_DAYS), time(9, 0),
                              tzinfo=OSLO)
    return max(moment, timezone.now().astimezone(OSLO))


def appeal_deadline(delivered: datetime) -> datetime:
    """The end of the last day of the appeal period (fvl. § 29): three weeks
    after the day the decision reached the applicant, the same weekday
    (domstolloven § 148); a last day on a Saturday, Sunday or public holiday
    moves to the next working day (domstolloven § 149)."""
    day = timezone.localtime(delivered, OSLO).date() + timedelta(days=APPEAL_DAYS)
    while not is_working_day(day):
        day += timedelta(days=1)
    return datetime.combine(day, time(23, 59, 59), tzinfo=OSLO)
