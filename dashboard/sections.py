"""Which reports a user's dashboard holds, each as a `Table`, some drawn as a chart too.

A salesperson sees their own figures; a manager the team's and the per-salesperson reports
(dashboard.team_sections). A report that is not on the user's dashboard does not exist
for them: its export answers 404. Each report is computed once per request, by
dashboard.reports and dashboard.team_reports.
"""

from datetime import date
from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.roles import is_manager
from crm.snapshot import figures_key, team_figures
from dashboard import reports
from dashboard.charts import CHARTS
from dashboard.periods import Period
from dashboard.tables import (
    COUNT,
    MONEY,
    PERCENT,
    Column,
    Table,
    link,
    period_columns,
    summed,
)
from dashboard.team_sections import TeamSections

SHARED = ["customers", "pipeline", "won"]
MINE = [*SHARED, "follow_ups", "quotes", "orders"]
TEAM = [
    *SHARED,
    "forecast",
    "win_rate",
    "win_rate_by_person",
    "sales_by_person",
    "conversion",
    "deal_size",
    "approvals",
]
TITLES = {
    "customers": _("Customers by status"),
    "pipeline": _("Open pipeline by stage"),
    "won": _("Won and sold: this period against the previous one"),
    "follow_ups": _("Follow-ups due"),
    "quotes": _("Quotes in progress"),
    "orders": _("Orders in progress"),
    "forecast": _("Forecast by month"),
    "win_rate": _("Win rate by month"),
    "win_rate_by_person": _("Win rate by salesperson"),
    "sales_by_person": _("Sales by salesperson"),
    "conversion": _("Stage-to-stage conversion"),
    "deal_size": _("Average deal size and sales cycle"),
    "approvals": _("Waiting for approval"),
}


class Dashboard(TeamSections):
    """One user's dashboard for one period."""

    def __init__(self, user, period: Period, today: date | None = None, refresh: bool = False):
        self.user = user
        self.period = period
        self.today = today or timezone.localdate()
        self.for_manager = is_manager(user)
        self.refresh = refresh
        #: When the oldest of the team's figures shown was computed (None: all live).
        self.as_of = None

    def figures(self, report, *arguments):
        """``report(user, *arguments)``: live for a salesperson, the team's snapshot for a
        manager (crm.snapshot)."""
        if not self.for_manager:
            return report(self.user, *arguments)
        computed_at, value = team_figures(
            figures_key(report.__qualname__, *arguments),
            lambda: report(self.user, *arguments),
            refresh=self.refresh,
        )
        self.as_of = computed_at if self.as_of is None else min(self.as_of, computed_at)
        return value

    @property
    def report_names(self) -> list[str]:
        return TEAM if self.for_manager else MINE

    def table(self, name: str) -> Table:
        """The named report's table; KeyError for a report not on this user's dashboard."""
        if name not in self.report_names:
            raise KeyError(name)
        return getattr(self, name)

    def tables(self) -> dict[str, Table]:
        return {name: self.table(name) for name in self.report_names}

    def charts(self) -> dict[str, dict]:
        return {
            name: draw(self.table(name), self.period)
            for name, draw in CHARTS.items()
            if name in self.report_names
        }

    # The reports both roles see.

    @cached_property
    def customer_statuses(self) -> list[dict]:
        return self.figures(reports.customers_by_status)

    @cached_property
    def customers(self) -> Table:
        rows = [
            {**row, "url": link("customers:list", status=row["value"])}
            for row in self.customer_statuses
        ]
        return Table(
            [Column("label", _("Status")), Column("count", _("Customers"), COUNT)],
            rows,
            totals=summed(rows, "count"),
        )

    @cached_property
    def pipeline(self) -> Table:
        rows = [
            {**row, "url": link("opportunities:list", stage=row["stage"])}
            for row in self.figures(reports.pipeline_by_stage)
        ]
        return Table(
            [
                Column("label", _("Stage")),
                Column("count", _("Open deals"), COUNT),
                Column("amount", _("Amount"), MONEY),
                Column("weighted", _("Weighted amount"), MONEY),
            ],
            rows,
            totals=summed(rows, "count", "amount", "weighted"),
        )

    @cached_property
    def won(self) -> Table:
        won = self.figures(reports.won_against_previous, self.period)
        sales = self.figures(reports.sales_against_previous, self.period)
        rows = [
            {
                "label": label,
                "start": period.start,
                "end": period.end,
                "won_count": won[f"{prefix}_count"],
                "won_amount": won[f"{prefix}_amount"],
                "orders": sales[f"{prefix}_count"],
                "sales": sales[f"{prefix}_amount"],
            }
            for label, period, prefix in (
                (_("This period"), self.period, "current"),
                (_("Previous period"), self.period.previous, "previous"),
            )
        ]
        figures = ("won_count", "won_amount", "orders", "sales")
        rows.append(
            {
                "label": _("Change (%)"),
                "kind": PERCENT,
                **{key: reports.change(rows[0][key], rows[1][key]) for key in figures},
            }
        )
        return Table(
            [
                *period_columns(),
                Column("won_count", _("Deals won"), COUNT),
                Column("won_amount", _("Won amount"), MONEY),
                Column("orders", _("Orders booked"), COUNT),
                Column("sales", _("Sales from orders"), MONEY),
            ],
            rows,
        )

    # The salesperson's own to-dos.

    @cached_property
    def follow_ups(self) -> Table:
        due = self.figures(reports.follow_ups_due, self.today)
        url = link("communications:follow_ups")
        rows = [
            {"label": _("Overdue"), "count": due["overdue"], "url": url},
            {"label": _("Due today"), "count": due["today"], "url": url},
        ]
        return Table(
            [Column("label", _("Follow-ups")), Column("count", _("Count"), COUNT)],
            rows,
            totals=summed(rows, "count"),
        )

    def _status_table(self, rows, url_name, count_header) -> Table:
        rows = [{**row, "url": link(url_name, status=row["status"])} for row in rows]
        return Table(
            [
                Column("label", _("Status")),
                Column("count", count_header, COUNT),
                Column("amount", _("Total"), MONEY),
            ],
            rows,
            totals=summed(rows, "count", "amount"),
        )

    @cached_property
    def quotes(self) -> Table:
        return self._status_table(
            self.figures(reports.quotes_by_status), "quotes:list", _("Quotes")
        )

    @cached_property
    def orders(self) -> Table:
        return self._status_table(
            self.figures(reports.orders_by_status), "orders:list", _("Orders")
        )
