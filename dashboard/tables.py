"""Each report as a table: the one source of the figures on the page (tables are what tests
and screen readers read), in its CSV export, and behind its chart.

A `Table` holds columns and the rows of one report; the page formats each cell by its
column's kind, and the export writes the raw value (numbers, ISO dates) through
``crm.csv_export.csv_cell``.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

TEXT, COUNT, MONEY, PERCENT, DAYS, MONTH, DATE = (
    "text",
    "count",
    "money",
    "percent",
    "days",
    "month",
    "date",
)
NUMERIC = {COUNT, MONEY, PERCENT, DAYS}
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = TEXT
    #: Left out on a phone-sized screen (still in the export): e.g. dates the page says above.
    wide_only: bool = False

    @property
    def is_numeric(self) -> bool:
        return self.kind in NUMERIC


@dataclass(frozen=True)
class Cell:
    value: object
    kind: str
    url: str = ""
    wide_only: bool = False

    @property
    def is_numeric(self) -> bool:
        return self.kind in NUMERIC

    @property
    def export_value(self):
        """The value for CSV: a month as YYYY-MM, money with its two decimals (SQLite's sums
        come back without them)."""
        if self.kind == MONTH and isinstance(self.value, date):
            return self.value.strftime("%Y-%m")
        if self.kind == MONEY and isinstance(self.value, Decimal):
            return self.value.quantize(CENT)
        return self.value


@dataclass
class Table:
    """A report's figures. A row may carry ``url`` (its first cell links there) and ``kind``
    (overriding the kind of its numeric cells: a "change in %" row under rows of amounts)."""

    columns: list[Column]
    rows: list[dict]
    totals: dict | None = None

    def _cells(self, row: dict) -> list[Cell]:
        cells = []
        for position, column in enumerate(self.columns):
            kind = column.kind
            if kind in NUMERIC and row.get("kind"):
                kind = row["kind"]
            url = row.get("url", "") if position == 0 else ""
            cells.append(Cell(row.get(column.key), kind, url, column.wide_only))
        return cells

    @property
    def body(self) -> list[list[Cell]]:
        return [self._cells(row) for row in self.rows]

    @property
    def footer(self) -> list[Cell] | None:
        if self.totals is None:
            return None
        return self._cells({self.columns[0].key: _("Total"), **self.totals})

    def export_rows(self):
        """The header, then every row and the totals, as raw values."""
        yield [str(column.header) for column in self.columns]
        for cells in self.body:
            yield [cell.export_value for cell in cells]
        if self.footer:
            yield [cell.export_value for cell in self.footer]


def link(url_name: str, **params) -> str:
    url = reverse(url_name)
    return f"{url}?{urlencode(params)}" if params else url


def summed(rows: list[dict], *keys: str) -> dict:
    """A totals row: the sum of each named column (over the few rows of a report)."""
    return {key: sum(row[key] for row in rows) for key in keys}


def period_columns() -> list[Column]:
    """For a row per period: its name, then its first and last day (the page says them
    above the tables, so a phone leaves them out)."""
    return [
        Column("label", _("Period")),
        Column("start", _("From"), DATE, wide_only=True),
        Column("end", _("To"), DATE, wide_only=True),
    ]
