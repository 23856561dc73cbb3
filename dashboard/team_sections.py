"""The manager's reports on the team, as tables: forecast, win rate, sales per salesperson,
stage conversion, deal size and sales cycle, and what waits for approval."""

from functools import cached_property

from django.utils.translation import gettext_lazy as _

from dashboard import reports, team_reports
from dashboard.tables import (
    COUNT,
    DAYS,
    MONEY,
    MONTH,
    PERCENT,
    Column,
    Table,
    link,
    period_columns,
    summed,
)

WIN_RATE_COLUMNS = [
    Column("won", _("Won"), COUNT),
    Column("lost", _("Lost"), COUNT),
    Column("rate", _("Win rate (%)"), PERCENT),
]


def won_lost_totals(rows) -> dict:
    totals = summed(rows, "won", "lost")
    return {**totals, "rate": reports.rate(totals["won"], totals["won"] + totals["lost"])}


class TeamSections:
    """Part of `dashboard.sections.Dashboard` (``user`` and ``period`` come from there)."""

    @cached_property
    def forecast(self) -> Table:
        rows, totals = self.figures(team_reports.forecast_by_month, self.period)
        return Table(
            [
                Column("month", _("Month"), MONTH),
                Column("open_count", _("Open deals"), COUNT),
                Column("open_amount", _("Open amount"), MONEY),
                Column("weighted", _("Weighted amount"), MONEY),
                Column("won_amount", _("Won amount"), MONEY),
            ],
            rows,
            totals=totals,
        )

    @cached_property
    def win_rate(self) -> Table:
        rows = self.figures(team_reports.win_rate_by_month, self.period)
        return Table(
            [Column("month", _("Month"), MONTH), *WIN_RATE_COLUMNS],
            rows,
            totals=won_lost_totals(rows),
        )

    @cached_property
    def team(self) -> list[dict]:
        return team_reports.team_members()

    @cached_property
    def win_rate_by_person(self) -> Table:
        rows = self.figures(team_reports.win_rate_by_person, self.period, self.team)
        return Table(
            [Column("name", _("Salesperson")), *WIN_RATE_COLUMNS],
            rows,
            totals=won_lost_totals(rows),
        )

    @cached_property
    def sales_by_person(self) -> Table:
        rows = self.figures(team_reports.sales_by_person, self.period, self.team)
        return Table(
            [
                Column("name", _("Salesperson")),
                Column("orders", _("Orders booked"), COUNT),
                Column("sales", _("Sales"), MONEY),
            ],
            rows,
            totals=summed(rows, "orders", "sales"),
        )

    @cached_property
    def conversion(self) -> Table:
        return Table(
            [
                Column("label", _("Stage")),
                Column("deals", _("Deals at the stage"), COUNT),
                Column("moved_on", _("Moved on"), COUNT),
                Column("conversion", _("Conversion (%)"), PERCENT),
                Column("won", _("Won"), COUNT),
                Column("win_rate", _("Won (%)"), PERCENT),
                Column("lost", _("Lost"), COUNT),
            ],
            self.figures(team_reports.conversion, self.period),
        )

    @cached_property
    def deal_size(self) -> Table:
        figures = self.figures(team_reports.deal_size, self.period)
        rows = [
            {
                "label": label,
                "start": period.start,
                "end": period.end,
                "count": figures[f"{prefix}count"],
                "average": figures[f"{prefix}average"],
                "cycle": figures[f"{prefix}cycle"],
            }
            for label, period, prefix in (
                (_("This period"), self.period, ""),
                (_("Previous period"), self.period.previous, "previous_"),
            )
        ]
        return Table(
            [
                *period_columns(),
                Column("count", _("Deals won"), COUNT),
                Column("average", _("Average deal size"), MONEY),
                Column("cycle", _("Average sales cycle (days)"), DAYS),
            ],
            rows,
        )

    @cached_property
    def approvals(self) -> Table:
        waiting = self.figures(reports.approvals)
        url = link("approvals")
        rows = [
            {"label": _("Quotes"), **waiting["quotes"], "url": url},
            {"label": _("Orders"), **waiting["orders"], "url": url},
        ]
        return Table(
            [
                Column("label", _("Waiting for approval")),
                Column("count", _("Count"), COUNT),
                Column("amount", _("Total"), MONEY),
            ],
            rows,
            totals=summed(rows, "count", "amount"),
        )
