"""Panels this app adds to earlier apps' pages (registered in `OrdersConfig.ready`).

Each reads only records of the page's object, which its visitor may already see, in a
bounded number of queries.
"""

from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import Coalesce

from orders.models import Order
from quotes.models import Quote

#: The customer's page lists this many of its latest orders.
HISTORY_ORDERS = 10

#: Orders that count as sales: confirmed and beyond, not cancelled or rejected.
BOOKED = [Order.Status.CONFIRMED, Order.Status.FULFILLED, Order.Status.COMPLETED]


def quote_order(request, quote) -> dict:
    """The quote's order, or (for an approved, sent or accepted quote still within its
    validity and without one) what is needed to create it: one query."""
    order = (
        Order.objects.filter(quote_id=quote.pk)
        .only("id", "number", "status", "total", "created_at", "quote_id")
        .first()
    )
    orderable = order is None and quote.status in Quote.ORDERABLE
    return {
        "quote": quote,
        "order": order,
        "can_create": orderable and not quote.is_past_validity,
        "expired": orderable and quote.is_past_validity,
        "can_confirm": request.user.has_perm("orders.approve_order"),
    }


def customer_transactions(request, customer) -> dict:
    """The customer's transaction history: lifetime value (the totals of its booked orders),
    how many orders it booked, its last order date (the latest booked order), and its latest
    orders of any status. One aggregate query and one bounded list query."""
    booked = Q(status__in=BOOKED)
    figures = customer.orders.aggregate(
        order_count=Count("id"),
        booked_count=Count("id", filter=booked),
        lifetime_value=Coalesce(Sum("total", filter=booked), Decimal("0.00")),
        last_order_at=Max("created_at", filter=booked),
    )
    orders = customer.orders.only(
        "id", "number", "status", "total", "created_at", "customer_id"
    ).order_by("-created_at", "-id")[:HISTORY_ORDERS]
    return {"customer": customer, "orders": list(orders), **figures}
