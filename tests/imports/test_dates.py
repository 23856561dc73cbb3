"""Dates and moments from cells: ISO and Chinese text, Excel serials, openpyxl's own values."""

from datetime import UTC, date, datetime, time

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from imports.values import excel_serial, parse_date, parse_datetime


def message_of(parse, value, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        parse(value, **kwargs)
    return " ".join(caught.value.messages)


@pytest.mark.parametrize(
    ("raw", "day"),
    [
        ("2026-03-01", date(2026, 3, 1)),
        ("2026-3-1", date(2026, 3, 1)),
        ("2026/3/1", date(2026, 3, 1)),
        ("2026/03/01", date(2026, 3, 1)),
        ("2026.3.1", date(2026, 3, 1)),
        ("20260301", date(2026, 3, 1)),
        ("2026年3月1日", date(2026, 3, 1)),
        ("2026 年 3 月 1 号", date(2026, 3, 1)),
        ("２０２６年３月１日", date(2026, 3, 1)),
        ("1 Mar 2026", date(2026, 3, 1)),
        ("01-Mar-2026", date(2026, 3, 1)),
        ("March 1, 2026", date(2026, 3, 1)),
        ("Sept 30 2026", date(2026, 9, 30)),
        ("13/03/2026", date(2026, 3, 13)),
        ("03/13/2026", date(2026, 3, 13)),
        ("05/05/2026", date(2026, 5, 5)),
        ("2026-03-01 14:30", date(2026, 3, 1)),
        (" 2026-03-01 ", date(2026, 3, 1)),
        (45352, date(2024, 3, 1)),
        (45352.0, date(2024, 3, 1)),
        ("45352", date(2024, 3, 1)),
        (date(2026, 3, 1), date(2026, 3, 1)),
        (datetime(2026, 3, 1, 23, 0), date(2026, 3, 1)),
    ],
)
def test_dates_written_the_ways_people_and_excel_write_them(raw, day):
    assert parse_date(raw) == day


def test_an_aware_moment_gives_its_local_date():
    # 20:00 UTC is 04:00 the next day in Shanghai (the default TIME_ZONE).
    assert parse_date("2026-03-01T20:00:00+00:00") == date(2026, 3, 2)


@pytest.mark.parametrize(
    ("serial", "day"),
    [
        (1, date(1900, 1, 1)),
        (59, date(1900, 2, 28)),
        (61, date(1900, 3, 1)),
        (45352, date(2024, 3, 1)),
        (46082, date(2026, 3, 1)),
        (2958465, date(9999, 12, 31)),
    ],
)
def test_excel_serials_count_the_1900_leap_day_that_never_was(serial, day):
    assert excel_serial(serial).date() == day


def test_excel_serial_fraction_is_the_time_of_day():
    assert excel_serial(45352.75) == datetime(2024, 3, 1, 18, 0)
    assert excel_serial(45352 + 1 / 3) == datetime(2024, 3, 1, 8, 0)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (60, "is 29 February 1900 in Excel, a day that did not exist."),
        (0, "is not a date Excel can hold"),
        (2958466, "is not a date Excel can hold"),
        ("01/03/2026", "could be 2026-03-01 or 2026-01-03; write dates as year-month-day"),
        ("2026-02-30", "“2026-02-30” is not a day of the calendar."),
        ("2026-13-01", "is not a day of the calendar."),
        ("1/3/26", "is not a date; write it as 2026-03-01 (year-month-day)."),
        ("next Tuesday", "is not a date"),
        ("2026", "is not a date"),
        ("1 Foo 2026", "is not a date"),
        ("2026-03-01 25:00", "does not hold a valid time of day."),
        (True, "is not a date"),
        (time(9, 30), "is a time of day without a date."),
    ],
)
def test_what_is_not_a_clear_date_is_refused(raw, message):
    assert message in message_of(parse_date, raw)


@pytest.mark.parametrize(
    ("day_first", "day"), [(True, date(2026, 3, 1)), (False, date(2026, 1, 3))]
)
def test_day_and_month_order_is_read_when_the_file_says_which(day_first, day):
    assert parse_date("01/03/2026", day_first=day_first) == day


@pytest.mark.parametrize(
    ("raw", "moment"),
    [
        ("2026-03-01 14:30", datetime(2026, 3, 1, 14, 30)),
        ("2026-03-01T14:30:15", datetime(2026, 3, 1, 14, 30, 15)),
        ("2026/3/1 9:05", datetime(2026, 3, 1, 9, 5)),
        ("2026/3/1 下午2:30", datetime(2026, 3, 1, 14, 30)),
        ("2026年3月1日 上午9点", datetime(2026, 3, 1, 9, 0)),
        ("2026年3月1日 晚上8点30分", datetime(2026, 3, 1, 20, 30)),
        ("2026-3-1 2:30 PM", datetime(2026, 3, 1, 14, 30)),
        ("2026-3-1 12:15 a.m.", datetime(2026, 3, 1, 0, 15)),
        ("2026-03-01", datetime(2026, 3, 1, 0, 0)),
        (datetime(2026, 3, 1, 14, 30), datetime(2026, 3, 1, 14, 30)),
        (date(2026, 3, 1), datetime(2026, 3, 1, 0, 0)),
        (45352.75, datetime(2024, 3, 1, 18, 0)),
    ],
)
def test_moments_are_read_in_the_current_time_zone(raw, moment):
    parsed = parse_datetime(raw)
    assert timezone.is_aware(parsed)
    assert parsed == timezone.make_aware(moment)


def test_a_moment_with_its_offset_keeps_it():
    assert parse_datetime("2026-03-01T06:30:00Z") == datetime(2026, 3, 1, 6, 30, tzinfo=UTC)


def test_moments_follow_the_active_time_zone():
    with timezone.override("Europe/Paris"):
        parsed = parse_datetime("2026-03-01 14:30")
    assert parsed == datetime(2026, 3, 1, 13, 30, tzinfo=UTC)


def test_pm_hour_out_of_range_is_refused():
    assert "does not hold a valid time of day." in message_of(parse_datetime, "2026-3-1 13:00 PM")
