"""The dashboard's period: this month, this quarter, this year or custom dates, and the
period of the same length just before it, to compare with.

A named period is the whole calendar month, quarter or year that contains today; the one
before it is the previous calendar month, quarter or year. A custom period runs from one
day to another, both included; the one before it has the same number of days and ends the
day before it starts.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property

from django import forms
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from opportunities.periods import period_range
from orders.filters import start_of_day

MONTH, QUARTER, YEAR, CUSTOM = "month", "quarter", "year", "custom"
PERIOD_CHOICES = [
    (MONTH, _("This month")),
    (QUARTER, _("This quarter")),
    (YEAR, _("This year")),
    (CUSTOM, _("Custom dates")),
]
#: A custom period may span at most this many days (about ten years): one chart point per month.
MAX_CUSTOM_DAYS = 3660
#: The database's date range is narrower than Python's; custom dates stay inside this one.
EARLIEST, LATEST = date(1901, 1, 1), date(8999, 12, 31)


def month_start(day: date, months_ahead: int = 0) -> date:
    """The first day of the month ``months_ahead`` months after ``day``'s (or before it)."""
    index = day.year * 12 + day.month - 1 + months_ahead
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    #: The last day, included.
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @cached_property
    def previous(self) -> "Period":
        """The period to compare with: the calendar period before, or as many days before."""
        if self.kind in (MONTH, QUARTER, YEAR):
            months = {MONTH: 1, QUARTER: 3, YEAR: 12}[self.kind]
            start = month_start(self.start, -months)
            return Period(self.kind, start, self.start - timedelta(days=1))
        return Period(
            self.kind, self.start - timedelta(days=self.days), self.start - timedelta(days=1)
        )

    @property
    def start_at(self) -> datetime:
        """The period's first moment in the current time zone (the lower bound, included)."""
        return start_of_day(self.start)

    @property
    def end_at(self) -> datetime:
        """The first moment after the period (the upper bound, excluded)."""
        return start_of_day(self.end + timedelta(days=1))

    def months(self) -> list[date]:
        """The first day of every month the period touches, in order."""
        months, month = [], month_start(self.start)
        while month <= self.end:
            months.append(month)
            month = month_start(month, 1)
        return months

    @property
    def query_string(self) -> str:
        """The GET parameters that select this period again (for links and exports)."""
        if self.kind == CUSTOM:
            params = {"period": CUSTOM, "start": self.start, "end": self.end}
        else:
            params = {"period": self.kind}
        return urlencode(params)


def named_period(kind: str, today: date | None = None) -> Period:
    """This month, quarter or year (reusing the board's calendar arithmetic)."""
    start, end = period_range(f"this_{kind}", today)
    return Period(kind, start, end)


class DateInput(forms.DateInput):
    """A browser date field. It takes only a real YYYY-MM-DD date: what the user typed wrong
    is left out (the field error says what was wrong) rather than sent back to the browser,
    which would reject it with a console warning."""

    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")

    def format_value(self, value):
        value = super().format_value(value)
        try:
            date.fromisoformat(value or "")
        except ValueError:
            return None
        return value


class PeriodForm(forms.Form):
    """The dashboard's period selector (GET). Invalid input leaves field errors and the
    view falls back to this month."""

    period = forms.ChoiceField(label=_("Period"), choices=PERIOD_CHOICES, required=False)
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("period") or (
            CUSTOM if cleaned.get("start") or cleaned.get("end") else ""
        )
        if kind != CUSTOM or self.errors:
            return cleaned
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is None:
            self.add_error("start", _("Enter the first day of the period."))
        if end is None:
            self.add_error("end", _("Enter the last day of the period."))
        if start is None or end is None:
            return cleaned
        if not (EARLIEST <= start <= LATEST and EARLIEST <= end <= LATEST):
            self.add_error(
                "start" if not EARLIEST <= start <= LATEST else "end",
                _("Enter a date between %(earliest)s and %(latest)s.")
                % {"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
            )
        elif end < start:
            self.add_error("end", _("The last day cannot be before the first day."))
        elif (end - start).days + 1 > MAX_CUSTOM_DAYS:
            self.add_error("end", _("Choose a period of at most ten years."))
        return cleaned

    def chosen_period(self, today: date | None = None) -> Period:
        """The chosen period; this month when nothing valid was chosen."""
        today = today or timezone.localdate()
        if not self.is_bound or not self.is_valid():
            return named_period(MONTH, today)
        kind = self.cleaned_data.get("period")
        if not kind:
            # Dates without a period name mean those dates.
            has_dates = self.cleaned_data.get("start") and self.cleaned_data.get("end")
            kind = CUSTOM if has_dates else MONTH
        if kind == CUSTOM:
            return Period(CUSTOM, self.cleaned_data["start"], self.cleaned_data["end"])
        return named_period(kind, today)
