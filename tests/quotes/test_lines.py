"""Quote lines and order lines are one priced line: same arithmetic, same limits in the database."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from orders.models import OrderLine
from quotes.models import QuoteLine
from tests.factories import OrderFactory, quote_with_lines

LINE_MODELS = [QuoteLine, OrderLine]


@pytest.mark.parametrize("model", LINE_MODELS)
@pytest.mark.parametrize(
    ("quantity", "unit_price", "discount", "list_amount", "total"),
    [
        ("1", "0.25", "50", "0.25", "0.13"),  # 0.125: half a cent rounds up
        ("3", "19.99", "0", "59.97", "59.97"),
        ("0.5", "0.01", "0", "0.01", "0.01"),  # 0.005 -> 0.01
        ("2", "1000000", "100", "2000000.00", "0.00"),
        ("7", "3.33", "33.33", "23.31", "15.54"),
    ],
)
def test_quote_and_order_lines_work_totals_out_alike(
    model, quantity, unit_price, discount, list_amount, total
):
    line = model(
        quantity=Decimal(quantity),
        unit_price=Decimal(unit_price),
        discount_percent=Decimal(discount),
    )
    assert line.list_amount == Decimal(list_amount)
    assert line.compute_total() == Decimal(total)


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value"), [("quantity", 0), ("discount_percent", 101)])
def test_an_order_line_out_of_range_is_refused_by_the_database(field, value):
    order = OrderFactory()
    line = OrderLine(order=order, description="Adapter", quantity=1, unit_price=1)
    setattr(line, field, value)
    with pytest.raises(IntegrityError), transaction.atomic():
        line.save()


@pytest.mark.django_db
def test_an_order_line_is_a_copy_of_its_quote_line():
    quote_line = quote_with_lines().lines.first()
    copy = OrderLine(**quote_line.priced_values())
    assert [getattr(copy, name) for name in (*OrderLine.PRICED_FIELDS, "line_total")] == [
        getattr(quote_line, name) for name in (*QuoteLine.PRICED_FIELDS, "line_total")
    ]
