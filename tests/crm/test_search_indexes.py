"""On PostgreSQL the search (``q``) of every list has trigram indexes and can use them.

The ``*_search_trigram`` migrations index exactly the expression Django's ``icontains``
writes, ``UPPER(column::text)``; if the expression or the search's SQL drifted apart, the
planner could no longer use them and a search would read whole tables again (seconds at a
million rows). With sequential scans discouraged, each search's plan must name its index.
"""

import pytest
from django.db import connection

from communications.filters import CommunicationFilter
from communications.models import Communication
from customers.filters import CustomerFilter
from customers.models import Customer
from opportunities.filters import OpportunityFilter
from opportunities.models import Opportunity
from orders.filters import OrderFilter
from orders.models import Order
from quotes.filters import QuoteFilter
from quotes.models import Quote
from tests.factories import (
    CommunicationFactory,
    ContactFactory,
    CustomerFactory,
    OpportunityFactory,
    OrderFactory,
)

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_trgm indexes exist on PostgreSQL only"
)

TRIGRAM_INDEXES = {
    "customer_name_trgm": ("customers_customer", "upper((name)::text)"),
    "customer_email_trgm": ("customers_customer", "upper((email)::text)"),
    "customer_phone_trgm": ("customers_customer", "upper((phone)::text)"),
    "customer_phone_digits_trgm": ("customers_customer", "((phone_normalized)::text)"),
    "contact_name_trgm": ("customers_contact", "upper((name)::text)"),
    "opp_name_trgm": ("opportunities_opportunity", "upper((name)::text)"),
    "opp_next_step_trgm": ("opportunities_opportunity", "upper((next_step)::text)"),
    "comm_subject_trgm": ("communications_communication", "upper((subject)::text)"),
    "comm_content_trgm": ("communications_communication", "upper(content)"),
    "quote_number_trgm": ("quotes_quote", "upper((number)::text)"),
    "order_number_trgm": ("orders_order", "upper((number)::text)"),
}


@pytest.mark.django_db
def test_migrations_create_a_trigram_index_for_every_search_field():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, tablename, indexdef FROM pg_indexes WHERE indexname = ANY(%s)",
            [list(TRIGRAM_INDEXES)],
        )
        found = {name: (table, definition) for name, table, definition in cursor.fetchall()}

    assert set(found) == set(TRIGRAM_INDEXES)
    for name, (table, expression) in TRIGRAM_INDEXES.items():
        assert found[name][0] == table
        assert f"USING gin ({expression} gin_trgm_ops)" in found[name][1], name


def plan(filterset_class, model, q, request, **filters) -> str:
    """The plan of the list's capped count for ``q`` as PostgreSQL would run it if reading
    whole tables cost (almost) anything more than using an index."""
    data = {"q": q, **filters}
    queryset = filterset_class(data, queryset=model.objects.all(), request=request).qs
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.order_by()[:10001].explain()


@pytest.fixture
def as_manager(rf, manager):
    request = rf.get("/")
    request.user = manager
    return request


def test_customer_search_uses_the_trigram_indexes_of_every_field(as_manager):
    customer = CustomerFactory(name="Sunpoint Foods GmbH")
    ContactFactory(customer=customer, name="Emily Sunpoint")

    # Archived ones too: on a few rows the index of current customers alone would do.
    explained = plan(CustomerFilter, Customer, "sunpoint", as_manager, archived="all")

    for index in ("customer_name_trgm", "customer_email_trgm", "customer_phone_trgm"):
        assert index in explained
    assert "Seq Scan" not in explained
    # The contact found first ("Emily Sunpoint") is its customer's id, read from an index.
    assert f"Index Cond: (id = {customer.pk})" in explained


def test_customer_phone_search_uses_the_digits_index(as_manager):
    CustomerFactory(phone="+86 138 0013 8000")

    explained = plan(CustomerFilter, Customer, "138 0013", as_manager, archived="all")

    assert "customer_phone_digits_trgm" in explained


def test_deal_search_uses_its_indexes_and_its_customers_ids(as_manager):
    OpportunityFactory(customer=CustomerFactory(name="Sunpoint Foods GmbH"))

    explained = plan(OpportunityFilter, Opportunity, "Sunpoint", as_manager)

    assert "opp_name_trgm" in explained
    assert "opp_next_step_trgm" in explained
    assert "Seq Scan" not in explained


def test_communication_search_uses_subject_and_content_indexes(as_manager):
    CommunicationFactory(content="Ref. PO-427568")

    explained = plan(CommunicationFilter, Communication, "PO-427568", as_manager)

    assert "comm_subject_trgm" in explained
    assert "comm_content_trgm" in explained


def test_quote_and_order_searches_use_their_number_indexes(as_manager):
    order = OrderFactory(number="SO-2025-00042", quote__number="Q-2025-00042")

    assert "quote_number_trgm" in plan(QuoteFilter, Quote, order.quote.number, as_manager)
    assert "order_number_trgm" in plan(OrderFilter, Order, order.number, as_manager)
