"""Events are written in the transaction of the change: a rollback records and sends
nothing; a commit records one event and one delivery per listening endpoint, enqueued once
the transaction has committed; no endpoint, no rows and one query per transaction at most."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from communications import services as communication_services
from customers import services as customer_services
from customers.merge import merge_customers
from opportunities import services as opportunity_services
from orders import services as order_services
from quotes import services as quote_services
from quotes.models import Quote
from tests.factories import (
    ApprovalRuleFactory,
    CustomerFactory,
    EndpointFactory,
    OpportunityFactory,
    quote_with_lines,
)
from webhooks import outbox
from webhooks.events import EventType
from webhooks.models import Delivery, Event

pytestmark = pytest.mark.django_db


def endpoint_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if 'FROM "webhooks_endpoint"' in q["sql"]]


def test_a_change_rolled_back_records_and_sends_nothing(
    salesperson, django_capture_on_commit_callbacks
):
    EndpointFactory()
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        customer_services.create_customer(by=salesperson, name="Acme")
        assert Event.objects.count() == 1  # written with the change...
        raise RuntimeError("the rest of the request failed")
    assert not Event.objects.exists() and not Delivery.objects.exists()  # ...and undone
    assert callbacks == []  # nothing will be enqueued


def test_a_committed_change_records_one_delivery_per_listening_endpoint(
    salesperson, django_capture_on_commit_callbacks
):
    listening = [EndpointFactory(), EndpointFactory(events=[EventType.CUSTOMER_CREATED])]
    EndpointFactory(events=[EventType.ORDER_CONFIRMED])  # another event
    EndpointFactory(is_active=False)  # switched off

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        customer = customer_services.create_customer(by=salesperson, name="Acme")

    event = Event.objects.get()
    assert (event.type, event.model, event.object_id) == (
        "customer.created",
        "customers.customer",
        str(customer.pk),
    )
    assert event.payload["name"] == "Acme"
    deliveries = Delivery.objects.filter(event=event)
    assert {d.endpoint_id for d in deliveries} == {e.pk for e in listening}
    assert {d.status for d in deliveries} == {"pending"}
    # One hook of the outbox for the transaction, which enqueued each delivery's task on commit
    # (the other is the customer's shared keys' second look).
    assert len([hook for hook in callbacks if isinstance(hook, outbox.Batch)]) == 1
    queued = DBTaskResult.objects.filter(task_path="webhooks.tasks.deliver")
    assert sorted(task.args_kwargs["args"][0] for task in queued) == sorted(
        d.pk for d in deliveries
    )


def test_without_endpoints_nothing_is_written_and_the_list_is_read_once_per_transaction(
    salesperson,
):
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        customer = customer_services.create_customer(by=salesperson, name="Acme")
        customer_services.update_customer(customer_id=customer.pk, by=salesperson, name="Acme 2")
        customer_services.archive_customer(customer_id=customer.pk, by=salesperson)
    assert len(endpoint_queries(queries.captured_queries)) == 1
    assert not Event.objects.exists()


def test_an_endpoint_added_during_a_transaction_is_seen_by_its_next_event(salesperson):
    with transaction.atomic():
        customer = customer_services.create_customer(by=salesperson, name="Acme")
        EndpointFactory(events=[EventType.CUSTOMER_UPDATED])
        customer_services.update_customer(customer_id=customer.pk, by=salesperson, name="B")
    assert list(Event.objects.values_list("type", flat=True)) == ["customer.updated"]


def test_an_import_batch_records_its_customers_in_two_inserts(salesperson):
    EndpointFactory(events=[EventType.CUSTOMER_CREATED])
    rows = [{"name": f"Customer {n}"} for n in range(50)]
    with CaptureQueriesContext(connection) as queries:
        created = customer_services.create_customers(by=salesperson, rows=rows)
    inserts = [q for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "webhooks')]
    assert len(inserts) == 2
    assert Event.objects.count() == Delivery.objects.count() == 50
    assert set(Event.objects.values_list("object_id", flat=True)) == {str(c.pk) for c in created}


def test_the_payload_shows_the_record_as_it_was_when_the_event_happened(salesperson):
    EndpointFactory()
    customer = customer_services.create_customer(by=salesperson, name="Acme")
    customer_services.update_customer(customer_id=customer.pk, by=salesperson, name="Acme Ltd")
    names = dict(Event.objects.values_list("type", "payload__name"))
    assert names == {"customer.created": "Acme", "customer.updated": "Acme Ltd"}


def test_workflow_steps_record_their_events(salesperson, manager):
    EndpointFactory()
    opportunity = OpportunityFactory(customer=CustomerFactory(owner=salesperson))
    opportunity_services.change_stage(opportunity_id=opportunity.pk, by=salesperson, to="qualified")
    quote = quote_with_lines(opportunity=opportunity, created_by=salesperson)
    quote_services.submit_quote(quote_id=quote.pk, by=salesperson)
    quote_services.approve_quote(quote_id=quote.pk, by=manager)
    order = order_services.create_order(by=manager, quote_id=quote.pk, status="confirmed")
    order_services.fulfil_order(order_id=order.pk, by=manager)

    assert list(Event.objects.order_by("occurred_at").values_list("type", flat=True)) == [
        "opportunity.stage_changed",
        "quote.submitted",
        "quote.approved",
        # create_order, in one transaction:
        "quote.accepted",
        "order.created",
        "order.confirmed",
        "opportunity.won",
        "order.fulfilled",
    ]
    confirmed = Event.objects.get(type="order.confirmed")
    assert confirmed.payload["status"] == "confirmed"
    assert confirmed.payload["total"] == "1000.00"  # a decimal, as text
    assert [line["line_total"] for line in confirmed.payload["lines"]] == ["1000.00"]


def test_lost_and_reopened_deals_record_their_events(salesperson):
    EndpointFactory()
    opportunity = OpportunityFactory(customer=CustomerFactory(owner=salesperson))
    opportunity_services.change_stage(
        opportunity_id=opportunity.pk, by=salesperson, to="lost", note="Too dear"
    )
    opportunity_services.change_stage(opportunity_id=opportunity.pk, by=salesperson, to="proposal")
    assert list(Event.objects.order_by("occurred_at").values_list("type", "payload__stage")) == [
        ("opportunity.lost", "lost"),
        ("opportunity.stage_changed", "proposal"),
    ]


def test_record_outside_a_transaction_commits_event_and_deliveries_together(customer):
    EndpointFactory()
    outbox.record(EventType.CUSTOMER_UPDATED, customer)
    assert Delivery.objects.get().event.payload["id"] == customer.pk


def test_opportunity_created_and_updated(salesperson, customer):
    EndpointFactory()
    deal = opportunity_services.create_opportunity(
        by=salesperson, customer_id=customer.pk, amount=Decimal("1200.50")
    )
    opportunity_services.update_opportunity(opportunity_id=deal.pk, by=salesperson, amount=900)
    assert list(Event.objects.order_by("occurred_at").values_list("type", "payload__amount")) == [
        ("opportunity.created", "1200.50"),
        ("opportunity.updated", "900.00"),
    ]


def test_a_merge_updates_both_customers(salesperson):
    EndpointFactory(events=[EventType.CUSTOMER_UPDATED])
    survivor, other = (CustomerFactory(owner=salesperson) for _ in range(2))
    merge_customers(survivor_id=survivor.pk, other_id=other.pk, by=salesperson)
    merged = Event.objects.get(object_id=str(other.pk))
    assert merged.payload["merged_into_id"] == survivor.pk
    assert merged.payload["archived"] is True
    assert Event.objects.filter(object_id=str(survivor.pk), type="customer.updated").exists()


def test_an_expired_quote_records_its_event(salesperson):
    EndpointFactory(events=[EventType.QUOTE_EXPIRED])
    quote = quote_with_lines(status="approved")
    Quote.objects.filter(pk=quote.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
    assert quote_services.expire_quotes() == 1
    assert Event.objects.get().payload["status"] == "expired"


def test_an_approval_rule_records_the_approval(salesperson):
    EndpointFactory(events=[EventType.QUOTE_SUBMITTED, EventType.QUOTE_APPROVED])
    ApprovalRuleFactory(max_total=Decimal("5000.00"))
    quote = quote_with_lines(
        opportunity=OpportunityFactory(customer=CustomerFactory(owner=salesperson))
    )
    quote_services.submit_quote(quote_id=quote.pk, by=salesperson)
    assert list(Event.objects.order_by("occurred_at").values_list("type", "payload__status")) == [
        ("quote.submitted", "pending_approval"),
        ("quote.approved", "approved"),
    ]


def test_communications_logged_edited_and_followed_up(salesperson, customer):
    EndpointFactory(events=[EventType.COMMUNICATION_CREATED, EventType.COMMUNICATION_UPDATED])
    logged = communication_services.create_communication(
        by=salesperson, customer_id=customer.pk, channel="phone", subject="First call"
    )
    communication_services.update_communication(
        communication_id=logged.pk, by=salesperson, follow_up_on=timezone.localdate()
    )
    communication_services.set_follow_up_done(communication_id=logged.pk, by=salesperson)
    communication_services.set_follow_up_done(communication_id=logged.pk, by=salesperson)

    assert list(
        Event.objects.order_by("occurred_at", "pk").values_list(
            "type", "payload__subject", "payload__follow_up_done"
        )
    ) == [
        ("communication.created", "First call", False),
        ("communication.updated", "First call", False),
        ("communication.updated", "First call", True),  # marked done once: one event
    ]


def test_a_revision_records_the_new_draft(salesperson, manager):
    EndpointFactory(events=[EventType.QUOTE_REVISED])
    quote = quote_with_lines(opportunity__customer__owner=salesperson)
    quote_services.submit_quote(quote_id=quote.pk, by=salesperson)
    quote_services.approve_quote(quote_id=quote.pk, by=manager)

    revision = quote_services.revise_quote(quote_id=quote.pk, by=salesperson)

    payload = Event.objects.get().payload
    assert (payload["id"], payload["status"], payload["previous_revision_id"]) == (
        revision.pk,
        "draft",
        quote.pk,
    )
