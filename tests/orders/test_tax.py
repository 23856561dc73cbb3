"""An order's lines are copies of its quote's: product, unit, tax rate and cost included,
and its page shows the tax per rate."""

from decimal import Decimal

import pytest
from django.urls import reverse

from orders import services as order_services
from quotes import services as quote_services
from tests.factories import OpportunityFactory, ProductFactory

pytestmark = pytest.mark.django_db
D = Decimal


def test_an_order_copies_the_priced_lines_and_shows_tax_per_rate(
    salesperson, manager, customer, sales_client
):
    product = ProductFactory(unit="台", list_price=D("100.00"), cost_price=D("60.00"))
    opportunity = OpportunityFactory(customer=customer, stage="proposal")
    quote = quote_services.create_quote(
        by=salesperson,
        opportunity_id=opportunity.pk,
        valid_until="2099-01-01",
        lines=[
            {"product": product.pk, "quantity": D("2")},
            {
                "description": "Service",
                "quantity": D("1"),
                "unit_price": D("50"),
                "tax_rate": D("6"),
            },
        ],
    )
    quote_services.submit_quote(quote_id=quote.pk, by=salesperson)
    quote_services.approve_quote(quote_id=quote.pk, by=manager)
    order = order_services.create_order(by=salesperson, quote_id=quote.pk)

    first, second = order.lines.all()
    assert (first.product, first.unit, first.tax_rate, first.cost_price) == (
        product,
        "台",
        D("13.00"),
        D("60.00"),
    )
    assert (first.net_amount, first.tax_amount, first.line_total) == (
        D("200.00"),
        D("26.00"),
        D("226.00"),
    )
    assert (second.tax_rate, second.cost_price, second.line_total) == (D("6.00"), None, D("53.00"))
    assert order.total == quote.__class__.objects.get(pk=quote.pk).total == D("279.00")

    page = sales_client.get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert "Tax 13% on CNY 200.00" in page and "Tax 6% on CNY 50.00" in page
    assert "60.00" not in page


@pytest.mark.parametrize("prices_include_tax", [False, True])
def test_the_order_confirmation_prints_the_figures_of_its_quote(
    settings, prices_include_tax, salesperson, manager, customer, sales_client
):
    settings.CRM_PRICES_INCLUDE_TAX = prices_include_tax
    opportunity = OpportunityFactory(customer=customer, stage="proposal")
    quote = quote_services.create_quote(
        by=salesperson,
        opportunity_id=opportunity.pk,
        valid_until="2099-01-01",
        lines=[
            {
                "description": "Router",
                "quantity": D("3"),
                "unit_price": D("33.33"),
                "discount_percent": D("7.5"),
                "tax_rate": D("13"),
            },
            {
                "description": "Install",
                "quantity": D("1"),
                "unit_price": D("50"),
                "tax_rate": D("6"),
            },
        ],
    )
    quote_services.submit_quote(quote_id=quote.pk, by=salesperson)
    quote_services.approve_quote(quote_id=quote.pk, by=manager)
    order = order_services.create_order(by=salesperson, quote_id=quote.pk)
    names = ("subtotal", "discount_total", "net_total", "total", "taxes")

    printed_quote = sales_client.get(reverse("quotes:print", args=[quote.pk])).context
    printed_order = sales_client.get(reverse("orders:print", args=[order.pk])).context

    quote.refresh_from_db()
    stored = (quote.subtotal, quote.discount_total, quote.net_total, quote.total)
    assert tuple(printed_quote[name] for name in names[:4]) == stored
    assert all(printed_order[name] == printed_quote[name] for name in names)
    assert quote.discount_total > 0 and printed_quote["taxes"]
