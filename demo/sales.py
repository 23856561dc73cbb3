"""Demo quotes and orders in every state, made through the services so that numbers and
histories are real."""

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from demo.catalogue import PRODUCTS
from opportunities.models import Opportunity
from opportunities.services import change_stage
from opportunities.stages import OPEN_STAGES, Stage
from orders import services as order_services
from orders.models import Order
from products.models import Product
from quotes import services as quote_services
from quotes.models import Quote

_REJECTION_REASONS = [
    "Discount above 15% needs a framework agreement.",
    "折扣过高，请按标准价目表重新报价。",
    "Payment terms must be 30 days, not 90.",
]
_SERVICE_LINES = ["Implementation services", "安装调试服务", "Training (days)", "年度技术支持"]


def _quote_lines(opportunity: Opportunity, catalogue=()) -> list[dict]:
    """One to three lines that add up to about the deal's amount, some with a discount;
    every other quote picks one or two products from the demo catalogue as well."""
    rng = random.Random(f"quote:{opportunity.customer.name}:{opportunity.name}")
    products = [
        {"product": product.pk, "quantity": Decimal(rng.randint(1, 5))}
        for product in rng.sample(list(catalogue), k=min(len(catalogue), rng.randint(1, 2)))
    ]
    if products and rng.random() < 0.5:
        return products
    amount = max(opportunity.amount, Decimal("1000"))
    lines = [
        {
            "description": opportunity.name,
            "quantity": Decimal(1),
            "unit_price": (amount * Decimal("0.7")).quantize(Decimal("1")),
            "discount_percent": Decimal(rng.choice([0, 0, 5, 10])),
        }
    ]
    for _ in range(rng.randint(0, 2)):
        days = rng.randint(2, 10)
        lines.append(
            {
                "description": rng.choice(_SERVICE_LINES),
                "quantity": Decimal(days),
                "unit_price": (amount * Decimal("0.3") / days).quantize(Decimal("1")),
                "discount_percent": Decimal(0),
            }
        )
    return lines + products[:1]


def _catalogue() -> list[Product]:
    """The demo catalogue's products still sold (demo.catalogue made them)."""
    skus = [row[0] for row in PRODUCTS]
    return list(Product.objects.filter(sku__in=skus, is_active=True).order_by("sku"))


def _quote(opportunity, seller, manager, *, until: str) -> Quote:
    """A quote of ``seller`` for the deal, moved along its workflow up to ``until``: draft,
    pending_approval, approved, rejected or sent. An approval rule a manager has set up may
    approve it at submission; then it simply stays approved."""
    if opportunity.stage in (Stage.PROSPECTING, Stage.QUALIFIED):
        change_stage(opportunity_id=opportunity.pk, by=seller, to=Stage.PROPOSAL)
    quote = quote_services.create_quote(
        by=seller,
        opportunity_id=opportunity.pk,
        valid_until=timezone.localdate() + timedelta(days=30),
        lines=_quote_lines(opportunity, _catalogue()),
        terms="Payment within 30 days of delivery. 货到30天内付款。",
    )
    if until == Quote.Status.DRAFT:
        return quote
    quote = quote_services.submit_quote(quote_id=quote.pk, by=seller)
    if until == Quote.Status.PENDING_APPROVAL or quote.status != Quote.Status.PENDING_APPROVAL:
        return quote
    if until == Quote.Status.REJECTED:
        reason = _REJECTION_REASONS[opportunity.pk % len(_REJECTION_REASONS)]
        return quote_services.reject_quote(quote_id=quote.pk, by=manager, reason=reason)
    quote = quote_services.approve_quote(quote_id=quote.pk, by=manager)
    if until == Quote.Status.SENT:
        quote = quote_services.send_quote(quote_id=quote.pk, by=seller)
    return quote


def _order(opportunity, seller, manager, *, until: str):
    """An order from an approved quote, submitted by ``seller``, approved by the manager and
    followed up to ``until``: pending_approval, confirmed, fulfilled or completed."""
    quote = _quote(opportunity, seller, manager, until=Quote.Status.APPROVED)
    order = order_services.create_order(
        by=seller, quote_id=quote.pk, status=Order.Status.PENDING_APPROVAL
    )
    if until != Order.Status.PENDING_APPROVAL:
        order = order_services.approve_order(order_id=order.pk, by=manager)
    if until in (Order.Status.FULFILLED, Order.Status.COMPLETED):
        order = order_services.fulfil_order(order_id=order.pk, by=seller)
    if until == Order.Status.COMPLETED:
        order = order_services.complete_order(order_id=order.pk, by=seller)
    return order


#: What each salesperson gets, most telling first (a small demo runs out of deals early).
_SCENARIOS = [
    (_quote, "draft"),
    (_quote, "pending_approval"),
    (_order, "confirmed"),
    (_quote, "rejected"),
    (_order, "pending_approval"),
    (_quote, "approved"),
    (_order, "fulfilled"),
    (_order, "completed"),
    (_quote, "sent"),
]


def demo_quotes_and_orders(salespeople, *, manager) -> None:
    """Quotes in every approval state and orders up to completion for each salesperson who
    has no quote yet, on their open deals, made through the services like the pages make
    them: numbers, totals, approvals (by the demo manager) and histories are real."""
    sellers = [s for s in salespeople if not Quote.objects.filter(customer__owner=s).exists()]
    deals = {
        seller.pk: list(
            Opportunity.objects.filter(customer__owner=seller, stage__in=OPEN_STAGES).order_by("pk")
        )
        for seller in sellers
    }
    for make, until in _SCENARIOS:
        for seller in sellers:
            if deals[seller.pk]:
                make(deals[seller.pk].pop(0), seller, manager, until=until)
