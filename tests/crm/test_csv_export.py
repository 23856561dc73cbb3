"""How one value becomes one CSV cell."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils import translation

from crm.csv_export import csv_cell


def test_none_is_an_empty_cell():
    assert csv_cell(None) == ""


def test_booleans_read_as_words():
    with translation.override("en"):
        assert (csv_cell(True), csv_cell(False)) == ("yes", "no")


def test_dates_are_iso():
    assert csv_cell(date(2026, 3, 9)) == "2026-03-09"


def test_aware_datetime_is_iso_in_local_time_without_microseconds(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    moment = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)

    assert csv_cell(moment) == "2026-01-02T11:04:05+08:00"


@pytest.mark.parametrize(
    ("value", "text"),
    [(Decimal("-1234.50"), "-1234.50"), (-7, "-7"), (Decimal("99.99"), "99.99"), (0, "0")],
)
def test_numbers_keep_their_sign_and_are_not_prefixed(value, text):
    assert csv_cell(value) == text


@pytest.mark.parametrize("text", ["=1+1", "+86 138", "-minus", "@SUM(A1)", "\tx", "\rx"])
def test_text_that_could_run_as_a_formula_gets_an_apostrophe(text):
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Acme", "上海华腾", "a=b", "500 seats", ""])
def test_ordinary_text_is_unchanged(text):
    assert csv_cell(text) == text
