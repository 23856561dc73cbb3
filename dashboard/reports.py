"""The dashboard's figures, each counted by the database.

One function per report; each runs one aggregate query (two at most) whatever the number of
rows (``COUNT(*)``, not ``COUNT(id)``: PostgreSQL can then count from an index alone), and starts from ``visible_to(user)``: a salesperson's figures hold only the records of
the customers they own, a manager's the whole team's. Python only arranges the few grouped
rows that come back (fills in empty months and stages, works out rates).

The reports every user sees (and the helpers both modules share) are here; the manager's
reports on the team are in dashboard.team_reports.
"""

from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from communications.models import Communication
from crm.counting import ROW
from customers.models import Customer
from dashboard.periods import Period
from opportunities.models import Opportunity
from opportunities.querysets import ZERO
from opportunities.stages import OPEN_STAGES, Stage
from orders.models import Order
from quotes.models import Quote

#: Quote and order states in which a record still waits for someone (the rest are closed).
WAITING_QUOTE_STATES = [*Quote.OPEN]
WAITING_ORDER_STATES = [*Order.OPEN, Order.Status.FULFILLED]
CENT, TENTH = Decimal("0.01"), Decimal("0.1")
NOTHING = Decimal("0.00")


def within(field: str, period: Period) -> Q:
    """``field`` (a date-time) falls in ``period``."""
    return Q(**{f"{field}__gte": period.start_at, f"{field}__lt": period.end_at})


def this_and_previous(field: str, period: Period) -> Q:
    """``field`` falls in ``period`` or the one before it: the rows both figures come from."""
    return Q(**{f"{field}__gte": period.previous.start_at, f"{field}__lt": period.end_at})


def rate(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in percent with one decimal; None when there is nothing to divide."""
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(TENTH)


def change(current, previous) -> Decimal | None:
    """How much ``current`` grew (or shrank) against ``previous``, in percent."""
    if not previous:
        return None
    return ((Decimal(current) - Decimal(previous)) * 100 / Decimal(previous)).quantize(TENTH)


def month_of(value) -> date | None:
    """TruncMonth gives a date for a date column and a local date-time for a date-time one."""
    return value.date() if isinstance(value, datetime) else value


def full_name(first: str, last: str, username: str) -> str:
    return f"{first} {last}".strip() or username


def customers_by_status(user) -> list[dict]:
    """Current (not archived) customers per status."""
    counts = dict(
        Customer.objects.visible_to(user)
        .active()
        .order_by()
        .values_list("status")
        .annotate(n=Count("*"))
        .values_list("status", "n")
    )
    return [
        {"value": value, "label": label, "count": counts.get(value, 0)}
        for value, label in Customer.Status.choices
    ]


def pipeline_by_stage(user) -> list[dict]:
    """Open deals now (whatever the period) per stage: how many, their amount and their
    weighted amount (amount × probability)."""
    totals = Opportunity.objects.visible_to(user).open().totals_by_stage()
    return [
        {
            "stage": stage.value,
            "label": stage.label,
            "count": totals.get(stage, {}).get("count", 0),
            "amount": totals.get(stage, {}).get("amount", NOTHING),
            "weighted": totals.get(stage, {}).get("weighted", NOTHING),
        }
        for stage in map(Stage, OPEN_STAGES)
    ]


def follow_ups_due(user, today: date) -> dict:
    """The user's open follow-ups due before today (overdue) and today, as on their to-do
    list (communications.follow_ups)."""
    return (
        Communication.objects.follow_ups_of(user)
        .due_by(today)
        .aggregate(
            overdue=Count(ROW, filter=Q(follow_up_on__lt=today)),
            today=Count(ROW, filter=Q(follow_up_on=today)),
        )
    )


def _by_status(queryset, states, choices) -> list[dict]:
    rows = {
        row["status"]: row
        for row in queryset.filter(status__in=states)
        .order_by()
        .values("status")
        .annotate(count=Count("*"), amount=Coalesce(Sum("total"), ZERO))
    }
    labels = dict(choices)
    return [
        {
            "status": state,
            "label": labels[state],
            "count": rows.get(state, {}).get("count", 0),
            "amount": rows.get(state, {}).get("amount", NOTHING),
        }
        for state in states
    ]


def quotes_by_status(user) -> list[dict]:
    """Quotes still in progress (draft to sent) per status: how many and their total."""
    return _by_status(Quote.objects.visible_to(user), WAITING_QUOTE_STATES, Quote.Status.choices)


def orders_by_status(user) -> list[dict]:
    """Orders still in progress (draft to fulfilled) per status: how many and their total."""
    return _by_status(Order.objects.visible_to(user), WAITING_ORDER_STATES, Order.Status.choices)


def won_against_previous(user, period: Period) -> dict:
    """Deals won (moved to won, by ``closed_at``) in the period and in the one before:
    how many and their amount."""
    now, before = within("closed_at", period), within("closed_at", period.previous)
    return (
        Opportunity.objects.visible_to(user)
        .filter(this_and_previous("closed_at", period), stage=Stage.WON)
        .aggregate(
            current_count=Count(ROW, filter=now),
            current_amount=Coalesce(Sum("amount", filter=now), ZERO),
            previous_count=Count(ROW, filter=before),
            previous_amount=Coalesce(Sum("amount", filter=before), ZERO),
        )
    )


def sales_against_previous(user, period: Period) -> dict:
    """Orders booked (confirmed, fulfilled or completed; by ``confirmed_at``) in the period
    and in the one before: how many and the sum of their totals."""
    now, before = within("confirmed_at", period), within("confirmed_at", period.previous)
    return (
        Order.objects.visible_to(user)
        .booked()
        .filter(this_and_previous("confirmed_at", period))
        .aggregate(
            current_count=Count(ROW, filter=now),
            current_amount=Coalesce(Sum("total", filter=now), ZERO),
            previous_count=Count(ROW, filter=before),
            previous_amount=Coalesce(Sum("total", filter=before), ZERO),
        )
    )


def approvals(user) -> dict:
    """Quotes and orders waiting for a manager's approval now: how many and their total."""
    figures = {"count": Count("*"), "amount": Coalesce(Sum("total"), ZERO)}
    return {
        "quotes": Quote.objects.visible_to(user).awaiting_approval().aggregate(**figures),
        "orders": Order.objects.visible_to(user).awaiting_approval().aggregate(**figures),
    }
