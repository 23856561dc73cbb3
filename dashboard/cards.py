"""The dashboard's cards: which reports each card shows, with what words, in which band.

The page (templates/dashboard/dashboard.html) lays the bands out and renders every card with
one include (dashboard/_card.html), so a new report is a new entry here, not a new block of
markup.
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dashboard.sections import TITLES, Dashboard

#: A card in the first band's side column (stacked on a wide screen) or a half-width card.
SIDE, HALF = "col-md-6 col-xl-12", "col-xl-6"


@dataclass(frozen=True)
class Link:
    url: str
    label: str
    icon: str = ""


@dataclass(frozen=True)
class Card:
    """One card. ``name`` gives its element id (``report-<name>``) and, when its first report
    has the same name, the CSV link in its header; other reports get a heading of their own."""

    name: str
    width: str
    reports: list[str]
    title: str = ""
    note: str = ""
    note_id: str = ""
    link: Link | None = None
    figure: int | None = None
    action: Link | None = None
    chart: bool = False
    tables: dict = field(default_factory=dict)
    charts: dict = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return self.name.replace("_", "-")

    @property
    def heading(self) -> str:
        return self.title or TITLES[self.name]

    @property
    def exports_in_header(self) -> bool:
        return self.reports[0] == self.name

    def sections(self) -> list[dict]:
        """The card's reports in order: name, title, table, and whether it has a heading."""
        return [
            {
                "name": name,
                "title": TITLES[name],
                "table": self.tables[name],
                "own_heading": name != self.name,
                "first": position == 0,
            }
            for position, name in enumerate(self.reports)
        ]

    @property
    def chart_data(self):
        return self.charts.get(self.name) if self.chart else None


def dashboard_cards(dashboard: Dashboard, tables: dict, charts: dict) -> dict[str, list[Card]]:
    """The cards of ``dashboard`` by band: ``side`` (what to act on), ``results`` (the
    period's results beside it) and ``reports`` (the second band)."""
    figures = {"tables": tables, "charts": charts}
    if dashboard.for_manager:
        to_act_on = Card(
            "approvals",
            SIDE,
            ["approvals"],
            figure=tables["approvals"].totals["count"],
            note=_("Quotes and orders waiting for a manager's decision now."),
            action=Link(reverse("approvals"), _("Open the approvals"), "bi-check2-square"),
            **figures,
        )
    else:
        to_act_on = Card(
            "follow_ups",
            SIDE,
            ["follow_ups"],
            figure=tables["follow_ups"].totals["count"],
            note=_("Open follow-ups due today or overdue."),
            action=Link(reverse("communications:follow_ups"), _("My follow-ups"), "bi-bell"),
            **figures,
        )
    customers = Card(
        "customers",
        SIDE,
        ["customers"],
        figure=dashboard.customers.totals["count"],
        note=(
            _("The team's customers, not archived.")
            if dashboard.for_manager
            else _("My customers, not archived.")
        ),
        action=Link(reverse("customers:create"), _("New customer"), "bi-plus-lg"),
        **figures,
    )
    won = Card(
        "won",
        "col-xl-8",
        ["won"],
        chart=True,
        note=_(
            "Won: deals moved to won in the period, by the day they closed. Sales: orders "
            "confirmed in the period that were not cancelled since (confirmed, fulfilled or "
            "completed)."
        ),
        **figures,
    )
    pipeline = Card(
        "pipeline",
        HALF,
        ["pipeline"],
        chart=True,
        note=_("Open deals now, whatever the period. Weighted amount = amount × probability."),
        link=Link(reverse("opportunities:board"), _("Open the board")),
        **figures,
    )
    band = [pipeline, *(_team_cards(figures) if dashboard.for_manager else _own_cards(figures))]
    return {"side": [to_act_on, customers], "results": [won], "reports": band}


def _own_cards(figures) -> list[Card]:
    return [
        Card(
            "my_quotes_orders",
            HALF,
            ["quotes", "orders"],
            title=_("My quotes and orders: where each waits"),
            note=_(
                "Counts now, whatever the period; closed quotes and completed or cancelled "
                "orders are left out."
            ),
            **figures,
        )
    ]


def _team_cards(figures) -> list[Card]:
    return [
        Card(
            "forecast",
            HALF,
            ["forecast"],
            chart=True,
            note=_(
                "Deals expected to close in each month of the period: open deals with their "
                "amount and weighted amount, and the amount already won."
            ),
            link=Link(reverse("opportunities:forecast"), _("Full forecast")),
            **figures,
        ),
        Card(
            "win_rate",
            HALF,
            ["win_rate", "win_rate_by_person"],
            chart=True,
            note=_(
                "Win rate = won ÷ (won + lost), over the deals closed in each month of the period."
            ),
            **figures,
        ),
        Card(
            "sales_by_person",
            HALF,
            ["sales_by_person"],
            chart=True,
            note=_(
                "Totals of the orders confirmed in the period and not cancelled since (confirmed, "
                "fulfilled or completed), credited to the owner of the deal; orders waiting for "
                "approval are not sales yet."
            ),
            **figures,
        ),
        Card(
            "conversion",
            HALF,
            ["conversion"],
            chart=True,
            note_id="conversion-method",
            note=_(
                "From the stage history of the period: a deal counts at a stage when it entered "
                "or left that stage in the period. Moved on: of those, the deals that then "
                "entered a later stage or were won in the period. Won and lost: of those, the "
                "deals won or lost in the period. Deals whose stage did not change in the "
                "period are not counted."
            ),
            **figures,
        ),
        Card(
            "deal_size",
            HALF,
            ["deal_size"],
            note=_(
                "Deals won in the period: their average amount, and the average number of days "
                "from creating the deal to winning it."
            ),
            **figures,
        ),
    ]
