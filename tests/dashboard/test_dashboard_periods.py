"""The dashboard's period selector: named periods, custom dates, the period before, and
invalid input that falls back to this month with a field error, never a 500."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboard.periods import Period, PeriodForm, named_period

PAGE = reverse("dashboard")


def span(period: Period) -> tuple[str, str]:
    return period.start.isoformat(), period.end.isoformat()


@pytest.mark.parametrize(
    ("kind", "today", "current", "previous"),
    [
        ("month", date(2025, 3, 14), ("2025-03-01", "2025-03-31"), ("2025-02-01", "2025-02-28")),
        ("month", date(2025, 1, 31), ("2025-01-01", "2025-01-31"), ("2024-12-01", "2024-12-31")),
        ("quarter", date(2025, 5, 2), ("2025-04-01", "2025-06-30"), ("2025-01-01", "2025-03-31")),
        ("quarter", date(2025, 2, 1), ("2025-01-01", "2025-03-31"), ("2024-10-01", "2024-12-31")),
        ("year", date(2024, 2, 29), ("2024-01-01", "2024-12-31"), ("2023-01-01", "2023-12-31")),
    ],
)
def test_named_period_and_the_one_before(kind, today, current, previous):
    period = named_period(kind, today)
    assert span(period) == current
    assert span(period.previous) == previous


def test_custom_period_is_compared_with_as_many_days_just_before():
    period = Period("custom", date(2025, 3, 1), date(2025, 3, 10))
    assert period.days == 10
    assert span(period.previous) == ("2025-02-19", "2025-02-28")


def test_period_bounds_are_local_midnights_and_the_end_is_excluded():
    period = Period("custom", date(2025, 3, 1), date(2025, 3, 31))
    assert period.start_at == timezone.make_aware(timezone.datetime(2025, 3, 1))
    assert period.end_at == timezone.make_aware(timezone.datetime(2025, 4, 1))


def test_period_lists_the_months_it_touches():
    period = Period("custom", date(2024, 11, 15), date(2025, 2, 1))
    assert [m.isoformat() for m in period.months()] == [
        "2024-11-01",
        "2024-12-01",
        "2025-01-01",
        "2025-02-01",
    ]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"period": "custom", "start": "2025-02-30", "end": "2025-03-31"}, "start"),
        ({"period": "custom", "start": "2025-03-01"}, "end"),
        ({"period": "custom"}, "start"),
        ({"period": "custom", "start": "2025-03-31", "end": "2025-03-01"}, "end"),
        ({"period": "custom", "start": "2000-01-01", "end": "2025-03-01"}, "end"),
        ({"period": "custom", "start": "0001-01-01", "end": "2025-03-01"}, "start"),
        ({"period": "fortnight"}, "period"),
    ],
)
def test_invalid_period_gives_a_field_error_and_this_month(data, field):
    form = PeriodForm(data)
    assert not form.is_valid()
    assert field in form.errors
    assert form.chosen_period(date(2025, 6, 10)) == named_period("month", date(2025, 6, 10))


def test_dates_without_a_period_name_are_a_custom_period():
    form = PeriodForm({"start": "2025-03-01", "end": "2025-03-02"})
    assert span(form.chosen_period()) == ("2025-03-01", "2025-03-02")


def test_no_choice_is_this_month():
    assert PeriodForm(None).chosen_period(date(2025, 6, 10)) == named_period(
        "month", date(2025, 6, 10)
    )


# On the page.


@pytest.mark.parametrize("kind", ["month", "quarter", "year"])
def test_page_shows_the_named_period(sales_client, kind):
    response = sales_client.get(PAGE, {"period": kind})
    assert response.status_code == 200
    assert response.context["period"] == named_period(kind)
    assert response.context["form"]["period"].value() == kind


def test_page_shows_a_custom_period_and_its_dates_in_the_export_links(sales_client):
    response = sales_client.get(
        PAGE, {"period": "custom", "start": "2025-03-01", "end": "2025-04-30"}
    )
    period = response.context["period"]
    assert span(period) == ("2025-03-01", "2025-04-30")
    assert "?report=pipeline&amp;period=custom&amp;start=2025-03-01&amp;end=2025-04-30" in (
        response.text
    )
    assert "Showing 2025-03-01 to 2025-04-30, compared with 2024-12-30 to 2025-02-28." in (
        response.text
    )


def test_page_with_invalid_dates_falls_back_to_this_month_with_a_message(manager_client):
    response = manager_client.get(PAGE, {"period": "custom", "start": "2025-13-45", "end": "x"})
    assert response.status_code == 200
    assert response.context["period"] == named_period("month")
    assert response.context["form"].errors["start"] == ["Enter a valid date."]
    assert "Enter a valid date." in response.text
    assert "showing this month instead" in response.text


def test_export_with_invalid_dates_exports_this_month(sales_client):
    response = sales_client.get(
        reverse("dashboard_export"), {"report": "won", "period": "custom", "start": "nope"}
    )
    assert response.status_code == 200
    this_month = named_period("month")
    assert this_month.start.isoformat() in response.content.decode()
