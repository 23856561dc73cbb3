"""The manager's reports on the team: forecast, win rate, sales per salesperson, stage
conversion, deal size and sales cycle. The rules of dashboard.reports apply: one
aggregate query per report, starting from ``visible_to(user)``.

Per-salesperson figures credit a deal to its owner (``Opportunity.owner``, as the forecast
does) and an order to the owner of the deal it was quoted for.
"""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import (
    Avg,
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django_fsm_log.models import StateLog

from crm.counting import ROW
from crm.roles import SALES
from dashboard.periods import Period
from dashboard.reports import (
    CENT,
    NOTHING,
    TENTH,
    full_name,
    month_of,
    rate,
    this_and_previous,
    within,
)
from opportunities.models import Opportunity
from opportunities.querysets import ZERO
from opportunities.stages import OPEN_STAGES, Stage
from orders.models import Order

#: The stages a deal moves through on its way to being won, in order.
FUNNEL = [*OPEN_STAGES, Stage.WON]


def forecast_by_month(user, period: Period) -> tuple[list[dict], dict]:
    """Deals expected to close in each month of the period (the forecast page's figures):
    open deals, their amount and weighted amount, and the amount already won; and the totals."""
    deals = Opportunity.objects.visible_to(user).filter(
        expected_close_date__gte=period.start, expected_close_date__lte=period.end
    )
    found = {month_of(row["month"]): row for row in deals.forecast_by_month()}
    empty = {"open_count": 0, "open_amount": NOTHING, "weighted": NOTHING}
    rows = [
        {**empty, "won_amount": NOTHING, **found.get(month, {}), "month": month}
        for month in period.months()
    ]
    totals = {key: sum(row[key] for row in rows) for key in (*empty, "won_amount")}
    return rows, totals


def _closed(user, period: Period):
    return Opportunity.objects.visible_to(user).filter(
        within("closed_at", period), stage__in=[Stage.WON, Stage.LOST]
    )


WON_LOST = {
    "won": Count(ROW, filter=Q(stage=Stage.WON)),
    "lost": Count(ROW, filter=Q(stage=Stage.LOST)),
}


def win_rate_by_month(user, period: Period) -> list[dict]:
    """Per month of the period: deals won and lost (by ``closed_at``) and the win rate
    won / (won + lost)."""
    found = {
        month_of(row["month"]): row
        for row in _closed(user, period)
        .order_by()
        .annotate(month=TruncMonth("closed_at"))
        .values("month")
        .annotate(**WON_LOST)
    }
    rows = []
    for month in period.months():
        won, lost = found.get(month, {}).get("won", 0), found.get(month, {}).get("lost", 0)
        rows.append({"month": month, "won": won, "lost": lost, "rate": rate(won, won + lost)})
    return rows


def team_members() -> list[dict]:
    """Active salespeople, so that someone with no figure still has a row."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=SALES)
        .values("id", "first_name", "last_name", "username")
        .distinct()
    )


def _per_person(rows, team, key: str) -> dict[int, dict]:
    """Rows keyed by person, with everyone in ``team`` present and a display name."""
    people = {member["id"]: {"figures": {}, **member} for member in team}
    for row in rows:
        person = people.setdefault(
            row[key],
            {
                "id": row[key],
                "first_name": row[f"{key}__first_name"],
                "last_name": row[f"{key}__last_name"],
                "username": row[f"{key}__username"],
                "figures": {},
            },
        )
        person["figures"] = row
    for person in people.values():
        person["name"] = full_name(person["first_name"], person["last_name"], person["username"])
    return people


def win_rate_by_person(user, period: Period, team: list[dict]) -> list[dict]:
    """Per deal owner: deals won and lost in the period and the win rate."""
    owner = ("owner", "owner__first_name", "owner__last_name", "owner__username")
    rows = _closed(user, period).order_by().values(*owner).annotate(**WON_LOST)
    result = []
    for person in _per_person(rows, team, "owner").values():
        won, lost = person["figures"].get("won", 0), person["figures"].get("lost", 0)
        result.append(
            {"name": person["name"], "won": won, "lost": lost, "rate": rate(won, won + lost)}
        )
    return sorted(result, key=lambda row: row["name"].casefold())


def sales_by_person(user, period: Period, team: list[dict]) -> list[dict]:
    """Per salesperson: orders booked in the period (confirmed, fulfilled or completed, by
    ``confirmed_at``; pending and cancelled ones are not sales) and the sum of their totals."""
    person = "quote__opportunity__owner"
    rows = (
        Order.objects.visible_to(user)
        .booked()
        .filter(within("confirmed_at", period))
        .order_by()
        .values(person, f"{person}__first_name", f"{person}__last_name", f"{person}__username")
        .annotate(orders=Count("*"), sales=Coalesce(Sum("total"), ZERO))
    )
    result = [
        {
            "name": seller["name"],
            "orders": seller["figures"].get("orders", 0),
            "sales": seller["figures"].get("sales", NOTHING),
        }
        for seller in _per_person(rows, team, person).values()
    ]
    return sorted(result, key=lambda row: (-row["sales"], row["name"].casefold()))


def conversion(user, period: Period) -> list[dict]:
    """Stage-to-stage conversion from the stage history (django-fsm-log) of the period.

    A deal counts at a stage when it entered or left that stage in the period. Of those,
    "moved on" counts the deals that entered a later stage (or won) in the period, "won" and
    "lost" those that were won or lost in the period. A deal whose stage did not change in
    the period is not counted. One query: a flag per deal and stage, then counts of flags.
    """
    flags = {}
    for position, stage in enumerate(FUNNEL):
        flags[f"at_{stage}"] = Max(_flag(Q(state=stage) | Q(source_state=stage)))
        flags[f"after_{stage}"] = Max(_flag(Q(state__in=FUNNEL[position + 1 :])))
    flags["lost"] = Max(_flag(Q(state=Stage.LOST)))
    per_deal = (
        StateLog.objects.filter(
            content_type__app_label="opportunities",
            content_type__model="opportunity",
            object_id__in=Opportunity.objects.visible_to(user).values("pk"),
            timestamp__gte=period.start_at,
            timestamp__lt=period.end_at,
        )
        .order_by()
        .values("object_id")
        .annotate(**flags)
    )
    counts = {}
    for stage in OPEN_STAGES:
        at = Q(**{f"at_{stage}": 1})
        counts[f"{stage}_deals"] = Count("object_id", filter=at)
        counts[f"{stage}_moved_on"] = Count("object_id", filter=at & Q(**{f"after_{stage}": 1}))
        counts[f"{stage}_won"] = Count("object_id", filter=at & Q(at_won=1))
        counts[f"{stage}_lost"] = Count("object_id", filter=at & Q(lost=1))
    figures = per_deal.aggregate(**counts)
    rows = []
    for stage in map(Stage, OPEN_STAGES):
        deals, moved_on = figures[f"{stage}_deals"], figures[f"{stage}_moved_on"]
        won, lost = figures[f"{stage}_won"], figures[f"{stage}_lost"]
        rows.append(
            {
                "stage": stage.value,
                "label": stage.label,
                "deals": deals,
                "moved_on": moved_on,
                "conversion": rate(moved_on, deals),
                "won": won,
                "win_rate": rate(won, deals),
                "lost": lost,
            }
        )
    return rows


def _flag(condition: Q):
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def deal_size(user, period: Period) -> dict:
    """Deals won in the period and in the one before: how many, their average amount and
    the average sales cycle in days (from creation to being won)."""
    now, before = within("closed_at", period), within("closed_at", period.previous)
    cycle = ExpressionWrapper(F("closed_at") - F("created_at"), output_field=DurationField())
    figures = (
        Opportunity.objects.visible_to(user)
        .filter(this_and_previous("closed_at", period), stage=Stage.WON)
        .aggregate(
            count=Count(ROW, filter=now),
            average=Avg("amount", filter=now),
            cycle=Avg(cycle, filter=now),
            previous_count=Count(ROW, filter=before),
            previous_average=Avg("amount", filter=before),
            previous_cycle=Avg(cycle, filter=before),
        )
    )
    for key in ("average", "previous_average"):
        if figures[key] is not None:
            figures[key] = Decimal(figures[key]).quantize(CENT)
    for key in ("cycle", "previous_cycle"):
        figures[key] = _days(figures[key])
    return figures


def _days(duration: timedelta | None) -> Decimal | None:
    if duration is None:
        return None
    return (Decimal(duration.total_seconds()) / 86400).quantize(TENTH)
