"""A list's items are read as values and written without ninja's per-value check
(api.v1.plain): each must be exactly what the record's own endpoint, which reads the model
record and which ninja does check, answers for it, to the byte."""

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

import pytest
from django.utils import timezone

from api.v1 import plain
from orders import services as order_services
from quotes import services as quote_services
from tests.factories import (
    CommunicationFactory,
    ContactFactory,
    CustomerFactory,
    OpportunityFactory,
    TagFactory,
    quote_with_lines,
)

pytestmark = pytest.mark.django_db


def _same_as_detail(api, resource: str, **filters):
    listed = api.get(f"/{resource}/", **filters)
    assert listed.status_code == 200
    assert listed.data["items"], "the list should hold the record"
    for item in listed.data["items"]:
        detail = api.get(f"/{resource}/{item['id']}")
        assert detail.status_code == 200
        assert item == detail.data
        # The same text too: the same fields in the same order, each value written alike.
        assert detail.content.decode() in listed.content.decode()


def test_customers_with_contacts_tags_and_every_field(salesperson, sales_api, manager_api):
    customer = CustomerFactory(
        owner=salesperson,
        name="华东精密 “Precision”",
        website="https://huadong.example.cn",
        notes="Line one\nline two",
        external_id="ERP-7",
        rating="A",
    )
    customer.tags.set([TagFactory(name="VIP"), TagFactory(name="Government")])
    ContactFactory(customer=customer, name="王芳", is_primary=True)
    ContactFactory(customer=customer, name="Li Lei")
    CustomerFactory(owner=salesperson, name="No contacts")
    CustomerFactory(owner=salesperson, name="Archived", archived_at=timezone.now())

    _same_as_detail(sales_api, "customers", archived="all")
    # The owner's username, read with the row: a manager's list holds other owners' too.
    CustomerFactory(name="Someone else's")
    _same_as_detail(manager_api, "customers", archived="all")


def test_opportunities_and_communications(salesperson, sales_api, manager_api):
    deal = OpportunityFactory(
        customer__owner=salesperson, amount=Decimal("1234.50"), expected_close_date=None
    )
    CommunicationFactory(opportunity=deal, follow_up_on=timezone.localdate())

    _same_as_detail(sales_api, "opportunities")
    _same_as_detail(sales_api, "communications")
    _same_as_detail(manager_api, "opportunities", sort="-amount")


def test_quotes_and_orders_with_lines_and_money(salesperson, manager, sales_api):
    quote = quote_with_lines(
        lines=((3, "999.99", "12.5"), (Decimal("0.5"), "10.00", "0")),
        opportunity__customer__owner=salesperson,
        valid_until=timezone.localdate() + timedelta(days=9),
    )
    quote_with_lines(opportunity__customer__owner=salesperson, lines=())
    quote_services.submit_quote(quote_id=quote.pk, by=salesperson)
    quote_services.approve_quote(quote_id=quote.pk, by=manager)
    order_services.create_order(quote_id=quote.pk, by=salesperson)

    _same_as_detail(sales_api, "quotes")
    _same_as_detail(sales_api, "orders")


@pytest.mark.parametrize(
    "value",
    [
        datetime(2026, 12, 3, 15, 4, 5, 678901, tzinfo=UTC),
        datetime(2026, 12, 3, 15, 4, 5, tzinfo=UTC),
        datetime(2026, 12, 3, 15, 4, 5, 120000, tzinfo=timezone.get_fixed_timezone(480)),
        datetime(2026, 12, 3, 15, 4, 5),
        date(2026, 2, 28),
        Decimal("1234.50"),
        Decimal("-0.00"),
        UUID("12345678-1234-5678-1234-567812345678"),
        '上海 "quoted"',
    ],
)
def test_a_page_writes_each_value_as_ninja_does(value):
    """The page's own encoder (faster by type) writes every value exactly as ninja would."""
    data = {"items": [{"value": value}], "next": None}
    ours = json.dumps(data, cls=plain._PageEncoder, **plain._renderer.json_dumps_params)
    assert ours == plain._renderer.render(None, data, response_status=200)
