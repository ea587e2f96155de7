"""Norwegian working-day calendar used by BPMN deadlines (cases.calendar)."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cases.calendar import (
    add_working_days,
    calendar_deadline,
    hours_deadline,
    is_working_day,
    transfer_hours_deadline,
    working_deadline,
)

OSLO = ZoneInfo("Europe/Oslo")


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (date(2027, 3, 25), "Maundy Thursday"),
        (date(2027, 3, 26), "Good Friday"),
        (date(2027, 3, 28), "Easter Sunday"),
        (date(2027, 3, 29), "Easter Monday"),
        (date(2027, 5, 1), "Labour Day"),
        (date(2027, 5, 6), "Ascension Day"),
        (date(2027, 5, 17), "Constitution Day"),
        (date(2027, 12, 25), "Christmas Day"),
        (date(2027, 12, 26), "Boxing Day"),
        (date(2028, 1, 1), "New Year's Day"),
        (date(2026, 12, 25), "Christmas Day (a Friday)"),
        (date(2026, 11, 21), "a Saturday"),
        (date(2026, 11, 22), "a Sunday"),
    ],
)
def test_holidays_and_weekends_are_not_working_days(day, why):
    """Public holidays (moving Easter days included) and weekends are skipped."""
    assert not is_working_day(day), why


@pytest.mark.parametrize(
    "day",
    [date(2027, 3, 24), date(2027, 3, 30), date(2027, 5, 18), date(2026, 12, 24),
     date(2026, 12, 31), date(2027, 1, 4)],
)
def test_ordinary_weekdays_are_working_days(day):
    """Christmas Eve and New Year's Eve are not public holidays in Norway."""
    assert is_working_day(day)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # Easter 2027: Thu 25, Fri 26, Mon 29 March are holidays.
        (date(2027, 3, 24), 1, date(2027, 3, 30)),
        (date(2027, 3, 24), 2, date(2027, 3, 31)),
        (date(2027, 3, 23), 2, date(2027, 3, 30)),
        # 17 May 2027 is a Monday.
        (date(2027, 5, 14), 1, date(2027, 5, 18)),
        # Weekend: Friday + 1 is Monday.
        (date(2026, 11, 20), 1, date(2026, 11, 23)),
        (date(2026, 11, 20), 2, date(2026, 11, 24)),
        # Across the month end.
        (date(2026, 11, 27), 3, date(2026, 12, 2)),
        # Christmas and New Year 2026/27: 25 Dec (Fri), 1 Jan (Fri) are holidays.
        (date(2026, 12, 23), 1, date(2026, 12, 24)),
        (date(2026, 12, 23), 2, date(2026, 12, 28)),
        (date(2026, 12, 30), 2, date(2027, 1, 4)),
        # 0 days: the day itself, or the next working day.
        (date(2027, 3, 24), 0, date(2027, 3, 24)),
        (date(2027, 3, 25), 0, date(2027, 3, 30)),
        (date(2026, 11, 21), 0, date(2026, 11, 23)),
        # Starting on a holiday counts from the next working day.
        (date(2027, 3, 26), 1, date(2027, 3, 31)),
    ],
)
def test_add_working_days(start, days, expected):
    assert add_working_days(start, days) == expected


def test_working_deadline_is_end_of_working_day_in_oslo():
    """The deadline falls at 16:00 Oslo time, in winter (UTC+1) and summer (UTC+2)."""
    winter = working_deadline("2026-11-20T09:15:00+01:00", 2)
    assert datetime.fromisoformat(winter) == datetime(2026, 11, 24, 16, 0, tzinfo=OSLO)
    assert winter.endswith("+01:00")
    summer = working_deadline("2027-03-24T10:00:00+01:00", 2)  # summer time from 28 March
    assert datetime.fromisoformat(summer) == datetime(2027, 3, 31, 16, 0, tzinfo=OSLO)
    assert summer.endswith("+02:00")


def test_working_deadline_uses_the_local_date_of_a_utc_time():
    """23:30 UTC on Friday is already Saturday in Oslo: counting starts Monday."""
    deadline = working_deadline("2026-11-20T23:30:00+00:00", 0)
    assert datetime.fromisoformat(deadline) == datetime(2026, 11, 23, 16, 0, tzinfo=OSLO)


def test_working_deadline_accepts_a_date():
    """Anonymous reports carry only a date."""
    deadline = working_deadline("2027-12-23", 2)  # Fri 24 Dec, then Mon 27 Dec
    assert datetime.fromisoformat(deadline) == datetime(2027, 12, 27, 16, 0, tzinfo=OSLO)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        ("2026-11-23T11:00:00+01:00", 30, datetime(2026, 12, 23, 16, 0, tzinfo=OSLO)),
        ("2026-11-23T11:00:00+01:00", 60, datetime(2027, 1, 22, 16, 0, tzinfo=OSLO)),
        ("2026-12-15T08:00:00+01:00", 30, datetime(2027, 1, 14, 16, 0, tzinfo=OSLO)),
        # Calendar days do not skip weekends or holidays.
        ("2027-03-24T08:00:00+01:00", 1, datetime(2027, 3, 25, 16, 0, tzinfo=OSLO)),
        ("2027-01-31T12:00:00+01:00", 28, datetime(2027, 2, 28, 16, 0, tzinfo=OSLO)),
    ],
)
def test_calendar_deadline_counts_every_day(start, days, expected):
    assert datetime.fromisoformat(calendar_deadline(start, days)) == expected


def test_hours_deadline_counts_round_the_clock_from_the_moment():
    start = datetime(2026, 12, 4, 16, 40, 9, tzinfo=OSLO)
    assert datetime.fromisoformat(hours_deadline(start.isoformat(), 4)) == start + timedelta(
        hours=4)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        # The end of the 4-hour window the moment falls in, never later than
        # moment + 4 h: the time of day is not recoverable beyond the window.
        (datetime(2026, 12, 2, 13, 37, 11, tzinfo=OSLO), datetime(2026, 12, 2, 16, 0, tzinfo=OSLO)),
        (datetime(2026, 12, 2, 12, 0, tzinfo=OSLO), datetime(2026, 12, 2, 16, 0, tzinfo=OSLO)),
        (datetime(2026, 12, 2, 15, 59, tzinfo=OSLO), datetime(2026, 12, 2, 16, 0, tzinfo=OSLO)),
        (datetime(2026, 12, 2, 23, 30, tzinfo=OSLO), datetime(2026, 12, 3, 0, 0, tzinfo=OSLO)),
        (datetime(2026, 12, 2, 0, 0, tzinfo=OSLO), datetime(2026, 12, 2, 4, 0, tzinfo=OSLO)),
        # Summer time ends 25 Oct 2026 (03:00 -> 02:00): a window is 4 hours of
        # elapsed time, so the first one ends at 03:00 local, not 04:00 (5 h).
        (datetime(2026, 10, 25, 0, 0, 30, tzinfo=OSLO), datetime(2026, 10, 25, 3, 0, tzinfo=OSLO)),
        # Summer time begins 29 Mar 2026 (02:00 -> 03:00).
        (datetime(2026, 3, 29, 1, 30, tzinfo=OSLO), datetime(2026, 3, 29, 5, 0, tzinfo=OSLO)),
    ],
)
def test_hours_deadline_in_windows_hides_the_time_of_day(start, expected):
    for moment in (start, start.astimezone(UTC)):
        due = datetime.fromisoformat(hours_deadline(moment.isoformat(), 4, 4))
        assert due == expected
        utc = start.astimezone(UTC)  # elapsed time, not wall-clock time
        assert utc < due <= utc + timedelta(hours=4)


def test_hours_deadline_window_is_never_later_than_the_rule():
    start = datetime(2026, 10, 24, 20, 0, tzinfo=OSLO).astimezone(UTC)
    for minute in range(0, 3 * 24 * 60, 7):  # across the end of summer time
        moment = start + timedelta(minutes=minute)
        for block in (1, 2, 4):
            due = datetime.fromisoformat(hours_deadline(moment, 4, block))
            assert moment + timedelta(hours=4 - block) < due <= moment + timedelta(hours=4)
    with pytest.raises(ValueError):
        hours_deadline(start, 4, 5)


def test_a_transfer_keeps_a_critical_deadline_with_an_hour_left_else_gives_four_hours():
    due = datetime(2026, 12, 4, 14, 0, tzinfo=OSLO)
    # An hour or more left: the deadline from arrival stands.
    for at in (datetime(2026, 12, 4, 10, 30, tzinfo=OSLO), due - timedelta(hours=1)):
        assert datetime.fromisoformat(transfer_hours_deadline(due.isoformat(), at, 4)) == due
    # Near or past: 4 elapsed hours from the transfer.
    for at in (due - timedelta(minutes=59), due + timedelta(hours=3)):
        kept = datetime.fromisoformat(transfer_hours_deadline(due.isoformat(), at.isoformat(), 4))
        assert kept - at == timedelta(hours=4)
    # Elapsed across the autumn change (02:30 summer time + 4 h = 05:30 winter time).
    at = datetime(2026, 10, 25, 2, 30, tzinfo=OSLO)
    fresh = datetime.fromisoformat(transfer_hours_deadline(at.isoformat(), at, 4))
    assert fresh - at == timedelta(hours=4)
