"""A list's items are written without ninja's per-value check (api.v1.plain): each must be
exactly what the record's own endpoint, which ninja does check, answers for it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

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


def test_customers_with_contacts_tags_and_every_field(salesperson, sales_api):
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

    _same_as_detail(sales_api, "customers")


def test_opportunities_and_communications(salesperson, sales_api):
    deal = OpportunityFactory(
        customer__owner=salesperson, amount=Decimal("1234.50"), expected_close_date=None
    )
    CommunicationFactory(opportunity=deal, follow_up_on=timezone.localdate())

    _same_as_detail(sales_api, "opportunities")
    _same_as_detail(sales_api, "communications")


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
