"""Lists sorted by the customer's name: a salesperson's list reads their customers only (a
hint for PostgreSQL, crm.filters.CrmFilterSet.customer_sorts) and shows the same rows, in
the same order, with the same count as without it."""

import pytest
from django.urls import reverse

from tests.factories import (
    CommunicationFactory,
    CustomerFactory,
    OpportunityFactory,
    OrderFactory,
    quote_with_lines,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(salesperson, teammate):
    """Two records of each kind per customer on three of the salesperson's customers, named
    so that the name order differs from the creation order; one customer of a teammate."""
    made = []
    for name in ("Cedar Ltd", "Acorn Ltd", "Birch Ltd"):
        customer = CustomerFactory(owner=salesperson, name=name)
        for _ in range(2):
            deal = OpportunityFactory(customer=customer)
            quote = quote_with_lines(opportunity=deal, status="accepted")
            OrderFactory(quote=quote)
            CommunicationFactory(customer=customer, opportunity=deal)
        made.append(customer)
    foreign = CustomerFactory(owner=teammate, name="Aardvark Ltd")
    quote_with_lines(opportunity=OpportunityFactory(customer=foreign), status="accepted")
    CommunicationFactory(customer=foreign)
    return made


@pytest.mark.parametrize(
    "url_name", ["opportunities:list", "communications:list", "quotes:list", "orders:list"]
)
@pytest.mark.parametrize("sort", ["customer", "-customer"])
def test_a_salespersons_list_sorted_by_customer(sales_client, records, url_name, sort):
    response = sales_client.get(reverse(url_name), {"sort": sort})

    rows = list(response.context["object_list"])
    names = [row.customer.name for row in rows]
    expected = ["Acorn Ltd"] * 2 + ["Birch Ltd"] * 2 + ["Cedar Ltd"] * 2
    assert names == (expected if sort == "customer" else expected[::-1])
    assert response.context["paginator"].count == 6
