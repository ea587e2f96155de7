"""English as Norwegian readers of English expect it: day first, 24-hour clock.

Django's ``en`` formats are American (12/08/2026 is 8 December there and
12 August to a reader here). Short dates use the same day.month.year as the
Norwegian pages, so a date reads the same whichever language a person picks;
long dates are British ("8 December 2026"). Input accepts ISO and day-first
forms only: never month first.
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-12-08
    "%d.%m.%Y",  # 08.12.2026
    "%d/%m/%Y",  # 08/12/2026
    "%d.%m.%y",  # 08.12.26
    "%d %B %Y",  # 8 December 2026
    "%d %b %Y",  # 8 Dec 2026
]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M:%S.%f", "%H:%M"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",  # <input type="datetime-local">
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
