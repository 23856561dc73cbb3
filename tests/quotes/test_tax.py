"""Line and quote arithmetic with tax: Decimal all the way, rounded once per line to the
currency's places, tax per rate, prices before tax or with tax included."""

from decimal import Decimal

import pytest

from quotes import services
from quotes.lines import price_line, taxes_by_rate
from tests.factories import ProductFactory

D = Decimal


# (quantity, unit price, discount %, tax %, prices include tax) ->
# (list amount, discount, net, tax, gross)
CASES = {
    "plain, no tax": (("2", "10.00", "0", "0", False), ("20.00", "0.00", "20.00", "0.00", "20.00")),
    "13 % on top": (
        ("1", "100.00", "0", "13", False),
        ("100.00", "0.00", "100.00", "13.00", "113.00"),
    ),
    "half a cent of tax rounds up": (
        ("1", "0.05", "0", "10", False),
        ("0.05", "0.00", "0.05", "0.01", "0.06"),
    ),
    "half a cent of discount rounds up": (
        ("1", "0.15", "50", "0", False),
        ("0.15", "0.07", "0.08", "0.00", "0.08"),
    ),
    "quantity times price rounds half-up": (
        ("0.5", "0.01", "0", "0", False),
        ("0.01", "0.00", "0.01", "0.00", "0.01"),
    ),
    "100 % discount": (
        ("3", "99.99", "100", "13", False),
        ("299.97", "299.97", "0.00", "0.00", "0.00"),
    ),
    "zero tax is no tax": (
        ("7", "3.33", "0", "0", True),
        ("23.31", "0.00", "23.31", "0.00", "23.31"),
    ),
    "large quantity": (
        ("1000000", "12345.67", "0", "13", False),
        ("12345670000.00", "0.00", "12345670000.00", "1604937100.00", "13950607100.00"),
    ),
    "price with tax included": (
        ("1", "113.00", "0", "13", True),
        ("113.00", "0.00", "100.00", "13.00", "113.00"),
    ),
    "tax included, net rounds, tax is the rest": (
        ("1", "10.00", "0", "6", True),
        ("10.00", "0.00", "9.43", "0.57", "10.00"),
    ),
    "tax included with a discount": (
        ("4", "25.00", "10", "9", True),
        ("100.00", "10.00", "82.57", "7.43", "90.00"),
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_a_line_is_priced_to_the_cent(case):
    (quantity, price, discount, rate, included), expected = CASES[case]
    amounts = price_line(
        quantity=D(quantity),
        unit_price=D(price),
        discount_percent=D(discount),
        tax_rate=D(rate),
        prices_include_tax=included,
    )
    got = (amounts.list_amount, amounts.discount, amounts.net, amounts.tax, amounts.gross)
    assert got == tuple(D(value) for value in expected)
    assert all(isinstance(value, Decimal) for value in got)
    assert amounts.net + amounts.tax == amounts.gross


def test_a_currency_without_cents_rounds_lines_to_whole_units(settings):
    settings.CRM_CURRENCY = "JPY"
    amounts = price_line(quantity=D("1"), unit_price=D("1005"), tax_rate=D("10"))
    assert (amounts.net, amounts.tax, amounts.gross) == (D("1005.00"), D("101.00"), D("1106.00"))


LINES = [
    {"description": "Router", "quantity": D("2"), "unit_price": D("100.00"), "tax_rate": D("13")},
    {"description": "Install", "quantity": D("1"), "unit_price": D("50.00"), "tax_rate": D("6")},
    {"description": "Manual", "quantity": D("1"), "unit_price": D("9.99")},
]


@pytest.mark.django_db
def test_quote_totals_sum_the_rounded_lines_with_tax_per_rate(salesperson, opportunity):
    quote = services.create_quote(
        by=salesperson, opportunity_id=opportunity.pk, valid_until="2099-01-01", lines=LINES
    )
    assert (quote.subtotal, quote.discount_total) == (D("259.99"), D("0.00"))
    assert (quote.net_total, quote.tax_total, quote.total) == (D("259.99"), D("29.00"), D("288.99"))
    assert taxes_by_rate(quote.lines.all()) == [
        (D("0"), D("9.99"), D("0.00")),
        (D("6"), D("50.00"), D("3.00")),
        (D("13"), D("200.00"), D("26.00")),
    ]


@pytest.mark.django_db
def test_with_prices_including_tax_the_total_is_what_was_entered(
    settings, salesperson, opportunity
):
    settings.CRM_PRICES_INCLUDE_TAX = True
    quote = services.create_quote(
        by=salesperson, opportunity_id=opportunity.pk, valid_until="2099-01-01", lines=LINES
    )
    assert quote.prices_include_tax
    assert quote.total == D("259.99")
    assert (quote.net_total, quote.tax_total) == (D("234.15"), D("25.84"))
    assert quote.net_total + quote.tax_total == quote.total


@pytest.mark.django_db
def test_a_quote_keeps_its_tax_basis_when_the_setting_changes(settings, salesperson, opportunity):
    quote = services.create_quote(
        by=salesperson, opportunity_id=opportunity.pk, valid_until="2099-01-01", lines=LINES[:1]
    )
    settings.CRM_PRICES_INCLUDE_TAX = True
    quote = services.update_quote(quote_id=quote.pk, by=salesperson, lines=LINES[:1])
    assert (quote.prices_include_tax, quote.total) == (False, D("226.00"))


@pytest.mark.django_db
def test_a_line_picked_from_the_catalogue_copies_the_product(salesperson, opportunity):
    product = ProductFactory(
        name="路由器 Router", unit="台", list_price=D("100.00"), tax_rate=D("13")
    )
    quote = services.create_quote(
        by=salesperson,
        opportunity_id=opportunity.pk,
        valid_until="2099-01-01",
        lines=[{"product": product.pk, "quantity": D("2")}],
    )
    product.list_price, product.tax_rate, product.cost_price = D("150.00"), D("9"), D("1.00")
    product.save()
    line = quote.lines.get()
    assert (line.product, line.description, line.unit) == (product, "路由器 Router", "台")
    assert (line.unit_price, line.tax_rate, line.cost_price) == (
        D("100.00"),
        D("13.00"),
        D("60.00"),
    )
    quote.refresh_from_db()
    assert (quote.total, quote.margin, quote.margin_percent) == (
        D("226.00"),
        D("80.00"),
        D("40.00"),
    )


@pytest.mark.django_db
def test_a_cost_price_is_never_taken_from_the_caller(salesperson, opportunity):
    with pytest.raises(services.ValidationError):
        services.create_quote(
            by=salesperson,
            opportunity_id=opportunity.pk,
            valid_until="2099-01-01",
            lines=[{"description": "X", "quantity": 1, "unit_price": 1, "cost_price": 0}],
        )


@pytest.mark.django_db
def test_a_quote_without_costs_has_no_margin(salesperson, opportunity):
    quote = services.create_quote(
        by=salesperson, opportunity_id=opportunity.pk, valid_until="2099-01-01", lines=LINES
    )
    assert quote.margin is None and quote.margin_percent is None


@pytest.mark.django_db
def test_a_line_whose_total_with_tax_would_not_fit_is_refused(salesperson, opportunity):
    line = {"description": "Big", "quantity": D("1"), "unit_price": D("999999999999.00")}
    with pytest.raises(services.ValidationError):
        services.create_quote(
            by=salesperson,
            opportunity_id=opportunity.pk,
            valid_until="2099-01-01",
            lines=[{**line, "tax_rate": D("13")}],
        )


@pytest.mark.django_db
@pytest.mark.parametrize("given", ["text", "unknown"])
def test_a_product_may_be_named_by_its_id_as_text_but_not_by_a_wrong_one(
    given, salesperson, opportunity
):
    product = ProductFactory()
    named = str(product.pk) if given == "text" else str(product.pk + 1000)
    lines = [{"product": named, "quantity": D("1")}]
    if given == "unknown":
        with pytest.raises(services.ValidationError):
            services.create_quote(
                by=salesperson, opportunity_id=opportunity.pk, valid_until="2099-01-01", lines=lines
            )
        return
    quote = services.create_quote(
        by=salesperson, opportunity_id=opportunity.pk, valid_until="2099-01-01", lines=lines
    )
    assert quote.lines.get().product == product
