"""The dashboard's charts: the figures of a report's table, shaped for Chart.js.

Each chart goes into the page with ``json_script`` next to its canvas; static/js/dashboard.js
draws it. Values become plain numbers (JSON has no decimals); the table under the chart
keeps the exact figures.
"""

from datetime import date

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from dashboard.periods import Period
from dashboard.tables import COUNT, MONEY, PERCENT, Table


def chart(kind: str, labels, datasets: dict, *, value_format: str, horizontal=False) -> dict:
    """``datasets`` maps each series' label to its values (None stays a gap)."""
    return {
        "type": kind,
        "format": value_format,
        "currency": settings.CRM_CURRENCY,
        "horizontal": horizontal,
        "labels": [str(label) for label in labels],
        "datasets": [
            {"label": str(label), "data": [None if v is None else float(v) for v in values]}
            for label, values in datasets.items()
        ],
    }


def _month(month: date) -> str:
    return date_format(month, "YEAR_MONTH_FORMAT")


def _span(label, period: Period) -> str:
    return f"{label} ({period.start.isoformat()} – {period.end.isoformat()})"


def _series(rows, **columns) -> dict:
    """{label: [row[key] for each row]} for each ``key=label``."""
    return {label: [row[key] for row in rows] for key, label in columns.items()}


def pipeline_chart(table: Table, period: Period) -> dict:
    return chart(
        "bar",
        [row["label"] for row in table.rows],
        _series(table.rows, amount=_("Amount"), weighted=_("Weighted amount")),
        value_format=MONEY,
    )


def won_chart(table: Table, period: Period) -> dict:
    current, previous = table.rows[:2]
    return chart(
        "bar",
        [_("Won amount"), _("Sales from orders")],
        {
            _span(_("This period"), period): [current["won_amount"], current["sales"]],
            _span(_("Previous period"), period.previous): [
                previous["won_amount"],
                previous["sales"],
            ],
        },
        value_format=MONEY,
    )


def forecast_chart(table: Table, period: Period) -> dict:
    return chart(
        "bar",
        [_month(row["month"]) for row in table.rows],
        _series(
            table.rows,
            open_amount=_("Open amount"),
            weighted=_("Weighted amount"),
            won_amount=_("Won amount"),
        ),
        value_format=MONEY,
    )


def win_rate_chart(table: Table, period: Period) -> dict:
    return chart(
        "bar",
        [_month(row["month"]) for row in table.rows],
        _series(table.rows, rate=_("Win rate (%)")),
        value_format=PERCENT,
    )


def sales_by_person_chart(table: Table, period: Period) -> dict:
    return chart(
        "bar",
        [row["name"] for row in table.rows],
        _series(table.rows, sales=_("Sales")),
        value_format=MONEY,
        horizontal=True,
    )


def conversion_chart(table: Table, period: Period) -> dict:
    return chart(
        "bar",
        [row["label"] for row in table.rows],
        _series(table.rows, deals=_("Deals at the stage"), moved_on=_("Moved on"), won=_("Won")),
        value_format=COUNT,
    )


#: The reports drawn as a chart, and how.
CHARTS = {
    "pipeline": pipeline_chart,
    "won": won_chart,
    "forecast": forecast_chart,
    "win_rate": win_rate_chart,
    "sales_by_person": sales_by_person_chart,
    "conversion": conversion_chart,
}
