"""Named close-date periods for the board and the forecast (this month, next quarter ...)."""

from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PERIOD_CHOICES = [
    ("overdue", _("Overdue")),
    ("this_month", _("This month")),
    ("next_month", _("Next month")),
    ("this_quarter", _("This quarter")),
    ("next_quarter", _("Next quarter")),
    ("this_year", _("This year")),
]


def _month_start(day: date, months_ahead: int = 0) -> date:
    index = day.year * 12 + day.month - 1 + months_ahead
    return date(index // 12, index % 12 + 1, 1)


def period_range(period: str, today: date | None = None) -> tuple[date | None, date | None]:
    """First and last day of a named period (either may be None for open-ended)."""
    today = today or timezone.localdate()
    if period == "overdue":
        return None, today - timedelta(days=1)
    if period in ("this_month", "next_month"):
        start = _month_start(today, 0 if period == "this_month" else 1)
        return start, _month_start(start, 1) - timedelta(days=1)
    if period in ("this_quarter", "next_quarter"):
        quarter_start = _month_start(today, -((today.month - 1) % 3))
        start = quarter_start if period == "this_quarter" else _month_start(quarter_start, 3)
        return start, _month_start(start, 3) - timedelta(days=1)
    if period == "this_year":
        return date(today.year, 1, 1), date(today.year, 12, 31)
    return None, None
