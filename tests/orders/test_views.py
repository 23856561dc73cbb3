import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from orders import services
from orders.models import Order
from quotes.models import Quote
from tests.factories import CustomerFactory, OrderFactory, SalespersonFactory
from tests.orders.conftest import approved_quote

pytestmark = pytest.mark.django_db


def page_urls(order):
    return [
        reverse("orders:detail", kwargs={"pk": order.pk}),
        reverse("orders:update", kwargs={"pk": order.pk}),
        reverse("orders:export") + f"?id={order.pk}",
        reverse("orders:list") + f"?id={order.pk}",
    ]


def post_urls(order):
    return [
        reverse("orders:create", kwargs={"quote_pk": order.quote_id}),
        *(reverse("orders:transition", args=[order.pk, action]) for action in services.ACTIONS),
    ]


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def exported(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_owner_and_manager_open_every_page_of_an_order(sales_client, manager_client, draft_order):
    for client in (sales_client, manager_client):
        for url in page_urls(draft_order):
            assert client.get(url).status_code == 200, url


def test_teammate_gets_404_on_every_url_of_someone_elses_order(teammate_client, pending_order):
    for url in page_urls(pending_order):
        assert teammate_client.get(url).status_code == 404, url
    for url in post_urls(pending_order):
        assert teammate_client.post(url, {"note": "x", "status": "draft"}).status_code == 404, url
    update = reverse("orders:update", kwargs={"pk": pending_order.pk})
    assert teammate_client.post(update, {"notes": "Hijacked"}).status_code == 404
    pending_order.refresh_from_db()
    assert (pending_order.status, pending_order.notes) == ("pending_approval", "")


def test_anonymous_is_sent_to_login(client, pending_order):
    for url in [*page_urls(pending_order), reverse("orders:export")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    for url in post_urls(pending_order):
        response = client.post(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_posts_refuse_get(sales_client, manager_client, pending_order):
    for url in post_urls(pending_order):
        assert sales_client.get(url).status_code == 405, url
        assert manager_client.get(url).status_code == 405, url


def test_unknown_action_is_a_404(sales_client, draft_order):
    url = reverse("orders:transition", args=[draft_order.pk, "ship"])
    assert sales_client.post(url).status_code == 404


# Creating from the quote's page


def test_salesperson_creates_a_draft_order_from_the_quote(sales_client, quote):
    url = reverse("orders:create", kwargs={"quote_pk": quote.pk})
    response = sales_client.post(url, {"status": "draft", "notes": "Ship in May"}, follow=True)
    order = Order.objects.get()
    assert response.redirect_chain[0][0] == order.get_absolute_url()
    assert (order.status, order.notes, order.quote) == ("draft", "Ship in May", quote)
    assert any(order.number in m for m in messages_of(response))


def test_salesperson_creates_and_submits_at_once(sales_client, salesperson, quote):
    url = reverse("orders:create", kwargs={"quote_pk": quote.pk})
    sales_client.post(url, {"status": "pending_approval"})
    order = Order.objects.get()
    assert (order.status, order.submitted_by) == ("pending_approval", salesperson)


def test_salesperson_asking_for_a_confirmed_order_gets_a_message_and_nothing(sales_client, quote):
    url = reverse("orders:create", kwargs={"quote_pk": quote.pk})
    response = sales_client.post(url, {"status": "confirmed"}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[0][0] == quote.get_absolute_url()
    assert any("sales manager" in m for m in messages_of(response))
    assert not Order.objects.exists()
    quote.refresh_from_db()
    assert quote.status == "approved"


def test_manager_creates_a_confirmed_order(manager_client, manager, quote):
    url = reverse("orders:create", kwargs={"quote_pk": quote.pk})
    manager_client.post(url, {"status": "confirmed"})
    order = Order.objects.get()
    assert (order.status, order.decided_by) == ("confirmed", manager)


def test_crafted_post_for_a_foreign_quote_is_a_404_and_creates_nothing(teammate_client, quote):
    url = reverse("orders:create", kwargs={"quote_pk": quote.pk})
    assert teammate_client.post(url, {"status": "draft"}).status_code == 404
    assert not Order.objects.exists()
    quote.refresh_from_db()
    assert quote.status == "approved"


@pytest.mark.parametrize(
    "data", [{}, {"status": "completed"}, {"status": "draft", "notes": "x" * 5001}]
)
def test_malformed_create_is_a_message_not_an_error(sales_client, quote, data):
    url = reverse("orders:create", kwargs={"quote_pk": quote.pk})
    response = sales_client.post(url, data, follow=True)
    assert response.status_code == 200 and messages_of(response)
    assert not Order.objects.exists()


def test_refusals_at_creation_are_messages(sales_client, salesperson, quote):
    url = reverse("orders:create", kwargs={"quote_pk": quote.pk})
    sales_client.post(url, {"status": "draft"})
    response = sales_client.post(url, {"status": "draft"}, follow=True)
    assert any("already has order" in m for m in messages_of(response))
    expired = approved_quote(quote.customer, quote.decided_by)
    Quote.objects.filter(pk=expired.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
    url = reverse("orders:create", kwargs={"quote_pk": expired.pk})
    response = sales_client.post(url, {"status": "draft"}, follow=True)
    assert any("expired" in m for m in messages_of(response))
    assert Order.objects.count() == 1


# Notes


def test_notes_are_the_only_thing_the_edit_form_changes(sales_client, draft_order):
    url = reverse("orders:update", kwargs={"pk": draft_order.pk})
    response = sales_client.post(
        url, {"notes": "Call before delivery", "status": "confirmed", "total": "1.00"}
    )
    assert response.status_code == 302
    draft_order.refresh_from_db()
    assert (draft_order.notes, draft_order.status, draft_order.total) == (
        "Call before delivery",
        "draft",
        Decimal("2450.00"),
    )


def test_confirmed_order_notes_cannot_be_edited(sales_client, confirmed_order):
    url = reverse("orders:update", kwargs={"pk": confirmed_order.pk})
    response = sales_client.get(url, follow=True)
    assert response.redirect_chain[0][0] == confirmed_order.get_absolute_url()
    assert any("can no longer change" in m for m in messages_of(response))
    sales_client.post(url, {"notes": "Sneaky"})
    confirmed_order.refresh_from_db()
    assert confirmed_order.notes == ""


# The order's page and its buttons


def test_detail_shows_lines_total_and_only_the_allowed_buttons(
    sales_client, manager_client, pending_order
):
    url = reverse("orders:detail", kwargs={"pk": pending_order.pk})
    response = sales_client.get(url)
    assert response.context["actions"] == ["cancel"]
    assert "CNY 2,450.00" in response.text
    assert [line.description for line in response.context["lines"]] == ["Item 1", "Item 2"]
    assert reverse("orders:transition", args=[pending_order.pk, "approve"]) not in response.text
    response = manager_client.get(url)
    assert response.context["actions"] == ["approve", "reject", "cancel"]
    assert reverse("orders:transition", args=[pending_order.pk, "approve"]) in response.text


def test_an_approver_who_submitted_sees_it_needs_another_manager(client_for, manager, draft_order):
    services.submit_order(order_id=draft_order.pk, by=manager)
    response = client_for(manager).get(reverse("orders:detail", kwargs={"pk": draft_order.pk}))
    assert response.context["actions"] == ["cancel"]
    assert response.context["needs_another_manager"]
    assert "Needs another manager" in response.text


def test_the_whole_workflow_through_the_buttons(sales_client, manager_client, draft_order):
    def act(client, action, **data):
        url = reverse("orders:transition", args=[draft_order.pk, action])
        response = client.post(url, data, follow=True)
        assert response.redirect_chain[-1][0] == draft_order.get_absolute_url()
        return response

    act(sales_client, "submit")
    act(manager_client, "approve")
    opportunity = draft_order.quote.opportunity
    opportunity.refresh_from_db()
    assert opportunity.stage == "won"
    act(sales_client, "fulfil")
    response = act(sales_client, "complete")
    order = response.context["order"]
    assert order.status == "completed"
    progress = response.context["progress"]
    assert [step["done"] for step in progress] == [True, True, True]
    assert [(h["source"], h["target"]) for h in response.context["history"]] == [
        ("Fulfilled", "Completed"),
        ("Confirmed", "Fulfilled"),
        ("Pending approval", "Confirmed"),
        ("Draft", "Pending approval"),
    ]


def test_rejection_needs_a_reason_and_the_page_shows_it(manager_client, pending_order):
    url = reverse("orders:transition", args=[pending_order.pk, "reject"])
    response = manager_client.post(url, {"note": ""}, follow=True)
    assert any("Say why" in m for m in messages_of(response))
    pending_order.refresh_from_db()
    assert pending_order.status == "pending_approval"
    response = manager_client.post(url, {"note": "Credit limit reached"}, follow=True)
    assert response.context["order"].status == "rejected"
    assert 'id="rejection"' in response.text and "Credit limit reached" in response.text


def test_refused_steps_are_messages_never_errors(sales_client, salesperson, draft_order):
    for action in ("approve", "reject", "fulfil", "complete"):
        url = reverse("orders:transition", args=[draft_order.pk, action])
        response = sales_client.post(url, {"note": "x"}, follow=True)
        assert response.status_code == 200
        assert messages_of(response), action
    draft_order.refresh_from_db()
    assert draft_order.status == "draft"


# The list and its export


@pytest.fixture
def orders_of(salesperson):
    """A few orders of the salesperson's customers with distinct figures."""
    today = timezone.now()
    alpha = CustomerFactory(owner=salesperson, name="Alpha Foods")
    beta = CustomerFactory(owner=salesperson, name="Beta Logistics")
    small = OrderFactory(quote__opportunity__customer=alpha, total=Decimal("100.00"))
    big = OrderFactory(
        quote__opportunity__customer=beta, total=Decimal("90000.00"), status="confirmed"
    )
    old = OrderFactory(quote__opportunity__customer=alpha, total=Decimal("5000.00"))
    Order.objects.filter(pk=old.pk).update(created_at=today - timedelta(days=40))
    return {"small": small, "big": big, "old": old, "alpha": alpha}


def listed(client, **params):
    response = client.get(reverse("orders:list"), params)
    assert response.status_code == 200
    return [o.number for o in response.context["object_list"]]


def test_list_filters_search_and_sorts(sales_client, orders_of):
    small, big, old = orders_of["small"], orders_of["big"], orders_of["old"]
    assert listed(sales_client) == [big.number, small.number, old.number]  # newest first
    assert listed(sales_client, status="confirmed") == [big.number]
    assert listed(sales_client, status="draft,confirmed", sort="total") == [
        small.number,
        old.number,
        big.number,
    ]
    assert listed(sales_client, total_min="1000", total_max="10000") == [old.number]
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    assert set(listed(sales_client, created_after=since)) == {small.number, big.number}
    assert listed(sales_client, created_before=since) == [old.number]
    assert set(listed(sales_client, customer=orders_of["alpha"].pk)) == {small.number, old.number}
    assert listed(sales_client, q="beta") == [big.number]
    assert listed(sales_client, q=small.number.lower()) == [small.number]
    assert listed(sales_client, sort="customer")[-1] == big.number
    assert listed(sales_client, sort="-number") == sorted(
        [small.number, big.number, old.number], reverse=True
    )


def test_salesperson_sees_only_their_customers_orders(sales_client, orders_of, teammate):
    foreign = OrderFactory(quote__opportunity__customer=CustomerFactory(owner=teammate))
    assert foreign.number not in listed(sales_client)
    assert sales_client.get(reverse("orders:list"), {"id": foreign.pk}).status_code == 404


def test_owner_filter_is_for_managers_only(sales_client, manager_client, orders_of, salesperson):
    other = SalespersonFactory()
    mine = listed(manager_client, owner=salesperson.pk)
    assert len(mine) == 3
    assert listed(manager_client, owner=other.pk) == []
    # A salesperson has no such filter: the parameter is ignored.
    assert len(listed(sales_client, owner=other.pk)) == 3
    assert "owner" not in sales_client.get(reverse("orders:list")).context["filterset"].form.fields


@pytest.mark.parametrize("persona", ["sales_client", "manager_client"])
def test_list_query_count_does_not_grow_with_rows(
    request, persona, salesperson, django_assert_num_queries
):
    client = request.getfixturevalue(persona)
    customer = CustomerFactory(owner=salesperson)
    url = reverse("orders:list")
    OrderFactory.create_batch(5, quote__opportunity__customer=customer)
    client.get(url)  # warm caches shared by every page (content types, sessions)
    with CaptureQueriesContext(connection) as five_rows:
        response = client.get(url)
    assert len(response.context["object_list"]) == 5
    OrderFactory.create_batch(45, quote__opportunity__customer=customer)
    with django_assert_num_queries(len(five_rows)):
        response = client.get(url)
    assert len(response.context["object_list"]) == 25


def test_export_has_exactly_the_filtered_rows_with_bom(sales_client, orders_of, teammate):
    OrderFactory(quote__opportunity__customer=CustomerFactory(owner=teammate))
    response = sales_client.get(reverse("orders:export"), {"customer": orders_of["alpha"].pk})
    assert response["Content-Type"].startswith("text/csv")
    rows = exported(response)
    assert rows[0] == [
        "Number",
        "Customer",
        "Quote",
        "Status",
        "Total",
        "Created by",
        "Created",
        "Confirmed",
        "Fulfilled",
        "Completed",
        "Cancelled",
    ]
    listed_numbers = listed(sales_client, customer=orders_of["alpha"].pk)
    assert [row[0] for row in rows[1:]] == listed_numbers
    small = orders_of["small"]
    row = rows[1 + listed_numbers.index(small.number)]
    assert row[1:6] == [
        "Alpha Foods",
        small.quote.number,
        "Draft",
        "100.00",
        small.created_by.username,
    ]
    every = exported(sales_client.get(reverse("orders:export")))
    assert len(every) - 1 == len(listed(sales_client)) == 3


def test_export_shows_the_fulfilment_timestamps(sales_client, salesperson, confirmed_order):
    services.fulfil_order(order_id=confirmed_order.pk, by=salesperson)
    rows = exported(sales_client.get(reverse("orders:export")))
    header, row = rows[0], rows[1]
    confirmed_order.refresh_from_db()
    record = dict(zip(header, row, strict=True))
    assert record["Status"] == "Fulfilled"
    assert (
        record["Confirmed"]
        == timezone.localtime(confirmed_order.confirmed_at).replace(microsecond=0).isoformat()
    )
    assert record["Fulfilled"] and not record["Completed"] and not record["Cancelled"]
