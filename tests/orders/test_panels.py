"""What orders add to a quote's page and to a customer's page."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from orders.models import Order
from orders.panels import HISTORY_ORDERS, customer_transactions
from quotes import services as quote_services
from quotes.models import Quote
from tests.factories import CustomerFactory, OrderFactory, quote_with_lines

pytestmark = pytest.mark.django_db


# The quote's page


def test_approved_quote_offers_the_create_order_form(sales_client, manager_client, quote):
    create_url = reverse("orders:create", kwargs={"quote_pk": quote.pk})
    text = sales_client.get(quote.get_absolute_url()).text
    assert 'id="create-order"' in text and create_url in text
    assert 'value="pending_approval"' in text and 'value="draft"' in text
    assert "Create as confirmed" not in text
    assert "Create as confirmed" in manager_client.get(quote.get_absolute_url()).text


def test_quote_with_an_order_links_to_it(sales_client, draft_order, quote):
    text = sales_client.get(quote.get_absolute_url()).text
    assert draft_order.get_absolute_url() in text and draft_order.number in text
    assert 'id="create-order"' not in text


@pytest.mark.parametrize("status", ["draft", "pending_approval", "rejected", "cancelled"])
def test_quote_that_cannot_be_ordered_has_no_form(
    sales_client, salesperson, manager, customer, status
):
    quote = quote_with_lines(opportunity__customer=customer)
    if status != "draft":
        quote_services.submit_quote(quote_id=quote.pk, by=salesperson)
    if status == "rejected":
        quote_services.reject_quote(quote_id=quote.pk, by=manager, reason="Too cheap")
    if status == "cancelled":
        quote_services.cancel_quote(quote_id=quote.pk, by=salesperson)
    assert Quote.objects.get(pk=quote.pk).status == status
    text = sales_client.get(quote.get_absolute_url()).text
    assert 'id="create-order"' not in text and 'id="quote-order"' not in text


def test_quote_past_its_date_says_it_can_no_longer_be_ordered(sales_client, quote):
    Quote.objects.filter(pk=quote.pk).update(valid_until=timezone.localdate() - timedelta(days=2))
    text = sales_client.get(quote.get_absolute_url()).text
    assert 'id="create-order"' not in text
    assert "can no longer become an order" in text


# The customer's transaction history


def order_of(customer, *, status, total, days_ago):
    order = OrderFactory(quote__opportunity__customer=customer, status=status, total=total)
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return order


@pytest.fixture
def history(customer):
    """Orders in every state; only confirmed, fulfilled and completed ones are booked."""
    return [
        order_of(customer, status="completed", total=Decimal("1200.50"), days_ago=90),
        order_of(customer, status="fulfilled", total=Decimal("800.25"), days_ago=60),
        order_of(customer, status="confirmed", total=Decimal("99.25"), days_ago=30),
        order_of(customer, status="cancelled", total=Decimal("5000.00"), days_ago=20),
        order_of(customer, status="rejected", total=Decimal("7000.00"), days_ago=10),
        order_of(customer, status="pending_approval", total=Decimal("300.00"), days_ago=5),
        order_of(customer, status="draft", total=Decimal("50.00"), days_ago=1),
    ]


def test_transaction_history_figures_match_hand_computed_sums(rf, salesperson, customer, history):
    OrderFactory(total=Decimal("999999.00"), status="completed")  # another customer's
    request = rf.get("/")
    request.user = salesperson
    context = customer_transactions(request, customer)
    assert context["lifetime_value"] == Decimal("1200.50") + Decimal("800.25") + Decimal("99.25")
    assert context["lifetime_value"] == Decimal("2100.00")
    assert context["booked_count"] == 3
    assert context["order_count"] == 7
    # The last order is the latest booked one: the confirmed order of 30 days ago.
    confirmed = Order.objects.get(pk=history[2].pk)
    assert context["last_order_at"] == confirmed.created_at
    assert [o.pk for o in context["orders"]] == [o.pk for o in reversed(history)]


def test_customer_without_orders_has_zero_value_and_no_last_order(rf, salesperson, customer):
    request = rf.get("/")
    request.user = salesperson
    context = customer_transactions(request, customer)
    assert (context["lifetime_value"], context["last_order_at"], context["orders"]) == (
        Decimal("0.00"),
        None,
        [],
    )


def test_customer_page_shows_the_history(sales_client, customer, history):
    text = sales_client.get(customer.get_absolute_url()).text
    assert 'id="transactions"' in text
    assert "CNY 2,100.00" in text
    last = timezone.localtime(Order.objects.get(pk=history[2].pk).created_at).date()
    assert f'id="last-order">{last.isoformat()}<' in text
    for order in history:
        assert order.number in text


def test_history_is_bounded_and_costs_two_queries(
    rf, salesperson, customer, django_assert_num_queries
):
    OrderFactory.create_batch(
        HISTORY_ORDERS + 3, quote__opportunity__customer=customer, status="confirmed"
    )
    request = rf.get("/")
    request.user = salesperson
    with django_assert_num_queries(2):
        context = customer_transactions(request, customer)
    assert len(context["orders"]) == HISTORY_ORDERS
    assert context["order_count"] == HISTORY_ORDERS + 3


def test_customer_page_links_to_all_its_orders_when_there_are_more(sales_client, customer):
    OrderFactory.create_batch(HISTORY_ORDERS + 1, quote__opportunity__customer=customer)
    text = sales_client.get(customer.get_absolute_url()).text
    assert f"{reverse('orders:list')}?customer={customer.pk}" in text


def test_customer_page_query_count_does_not_grow_with_orders(
    manager_client, customer, django_assert_num_queries
):
    url = customer.get_absolute_url()
    OrderFactory(quote__opportunity__customer=customer)
    manager_client.get(url)
    with CaptureQueriesContext(connection) as small:
        manager_client.get(url)
    OrderFactory.create_batch(15, quote__opportunity__customer=customer, status="completed")
    OrderFactory.create_batch(3, quote__opportunity__customer=CustomerFactory())
    with django_assert_num_queries(len(small)):
        manager_client.get(url)
