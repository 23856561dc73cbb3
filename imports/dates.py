"""Reading a date, or a date and time, from a spreadsheet cell.

Accepted: date and datetime cells of an .xlsx; Excel serial numbers (45352 is 2024-03-01,
as a number cell or as five digits of text, with a fraction for the time of day); text as
2026-03-01, 2026/3/1, 2026.3.1, 20260301, 2026年3月1日, 1 Mar 2026, March 1, 2026 and
01-Mar-2026, each optionally followed by a time (14:30, 14:30:15, 2:30 PM, 下午2:30); and
ISO 8601 with a UTC offset (2026-03-01T14:30:00+08:00).

Day and month in either order (01/03/2026) are read only when they cannot be mistaken
(13/03/2026 is 13 March, 03/13/2026 is 13 March, 01/01/2026 is 1 January), unless the
caller says which order the file uses (``day_first``): a date is never guessed. A year
must have four digits.

A date without a time stands for the local midnight; a time without a UTC offset is read
in the current time zone.
"""

import re
import unicodedata
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

#: Excel's day 1 is 1900-01-01, but Excel counts a 29 February 1900 that never was (a
#: Lotus 1-2-3 bug it kept): from day 61 on, days count from 1899-12-30.
EXCEL_EPOCH = datetime(1899, 12, 30)
EXCEL_FAKE_LEAP_DAY = 60
#: 9999-12-31, the last day Excel knows.
EXCEL_LAST_SERIAL = 2958465
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}

_TIME = (
    r"(?:(?:\s+|T)(?P<half_cn>上午|下午|晚上)?\s*(?P<hour>\d{1,2})[:点時时](?P<minute>\d{2})?"
    r"(?::(?P<second>\d{2})(?:\.\d+)?)?\s*分?\s*(?P<half>[ap]\.?m\.?)?)?"
)
_DATES = [
    re.compile(rf"(?P<year>\d{{4}})[-/.](?P<month>\d{{1,2}})[-/.](?P<day>\d{{1,2}}){_TIME}", re.I),
    re.compile(
        rf"(?P<year>\d{{4}})\s*年\s*(?P<month>\d{{1,2}})\s*月\s*(?P<day>\d{{1,2}})\s*[日号]?{_TIME}",
        re.I,
    ),
    re.compile(rf"(?P<year>\d{{4}})(?P<month>\d{{2}})(?P<day>\d{{2}}){_TIME}", re.I),
    re.compile(
        rf"(?P<first>\d{{1,2}})[-/.](?P<second_>\d{{1,2}})[-/.](?P<year>\d{{4}}){_TIME}", re.I
    ),
    re.compile(
        rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?[-\s]+(?P<month_name>[a-z]{{3,9}})\.?[-\s,]+"
        rf"(?P<year>\d{{4}}){_TIME}",
        re.I,
    ),
    re.compile(
        rf"(?P<month_name>[a-z]{{3,9}})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+"
        rf"(?P<year>\d{{4}}){_TIME}",
        re.I,
    ),
]
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")


def parse_date(value, *, day_first: bool | None = None) -> date:
    """The calendar date a cell gives (see the module's docstring for what is read)."""
    moment = _read(value, day_first=day_first)
    if isinstance(moment, datetime):
        return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()
    return moment


def parse_datetime(value, *, day_first: bool | None = None) -> datetime:
    """An aware datetime: a naive one is in the current time zone, a date is its midnight."""
    moment = _read(value, day_first=day_first)
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def excel_serial(serial) -> datetime:
    """The moment an Excel serial number stands for (1900 date system, Windows' default)."""
    if not 1 <= serial < EXCEL_LAST_SERIAL + 1:
        raise ValidationError(
            _("%(value)s is not a date Excel can hold (from 1 to %(last)s).")
            % {"value": serial, "last": EXCEL_LAST_SERIAL}
        )
    if int(serial) == EXCEL_FAKE_LEAP_DAY:
        raise ValidationError(
            _("%(value)s is 29 February 1900 in Excel, a day that did not exist.")
            % {"value": serial}
        )
    days = serial if serial > EXCEL_FAKE_LEAP_DAY else serial + 1
    # Rounded to the second: the fraction of a day is a float (0.5 is noon, 1/3 is 08:00).
    return EXCEL_EPOCH + timedelta(seconds=round(float(days) * 86400))


def _read(value, *, day_first: bool | None) -> date:
    if isinstance(value, bool):
        raise _not_a_date(value)
    if isinstance(value, date):  # datetime included
        return value
    if isinstance(value, time):
        raise ValidationError(_("“%(value)s” is a time of day without a date.") % {"value": value})
    if isinstance(value, int | float):
        return excel_serial(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if len(text) > 60:  # no date is this long; the patterns below need not see it
        raise _not_a_date(value)
    if _SERIAL.fullmatch(text):
        return excel_serial(float(text))
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    for pattern in _DATES:
        match = pattern.fullmatch(text)
        if match:
            return _from_match(match, text, day_first=day_first)
    raise _not_a_date(value)


def _not_a_date(value) -> ValidationError:
    return ValidationError(
        _("“%(value)s” is not a date; write it as 2026-03-01 (year-month-day).") % {"value": value}
    )


def _from_match(match: re.Match, text: str, *, day_first: bool | None) -> date:
    groups = match.groupdict()
    year = int(groups["year"])
    if groups.get("month_name"):
        month = MONTHS.get(groups["month_name"].lower())
        if month is None:
            raise _not_a_date(text)
        day = int(groups["day"])
    elif groups.get("first"):
        day, month = _day_and_month(
            int(groups["first"]), int(groups["second_"]), year, text, day_first=day_first
        )
    else:
        day, month = int(groups["day"]), int(groups["month"])
    try:
        day_read = date(year, month, day)
    except ValueError:
        raise ValidationError(
            _("“%(value)s” is not a day of the calendar.") % {"value": text}
        ) from None
    if groups["hour"] is None:
        return day_read
    return datetime.combine(day_read, _time(groups, text))


def _day_and_month(first: int, second: int, year: int, text: str, *, day_first: bool | None):
    if day_first is True or (day_first is None and first > 12):
        return first, second
    if day_first is False or (day_first is None and second > 12) or first == second:
        return second, first
    raise ValidationError(
        _("“%(value)s” could be %(one)s or %(other)s; write dates as year-month-day (2026-03-01).")
        % {
            "value": text,
            "one": f"{year}-{second:02}-{first:02}",
            "other": f"{year}-{first:02}-{second:02}",
        }
    )


def _time(groups: dict, text: str) -> time:
    hour, minute = int(groups["hour"]), int(groups["minute"] or 0)
    second = int(groups["second"] or 0)
    half = (groups["half"] or "").replace(".", "").lower()
    afternoon = half == "pm" or groups["half_cn"] in ("下午", "晚上")
    if half or groups["half_cn"]:
        if not 1 <= hour <= 12:
            raise _not_a_time(text)
        hour = hour % 12 + (12 if afternoon else 0)
    try:
        return time(hour, minute, second)
    except ValueError:
        raise _not_a_time(text) from None


def _not_a_time(text) -> ValidationError:
    return ValidationError(_("“%(value)s” does not hold a valid time of day.") % {"value": text})
