"""What an event's data shows: the built-in rendering, and a renderer registered for a
model (how the HTTP API plugs its schemas in)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from customers import services as customer_services
from tests.factories import (
    CustomerFactory,
    DeliveryFactory,
    EndpointFactory,
    EventFactory,
    OpportunityFactory,
)
from webhooks import payloads
from webhooks.models import Delivery, Event

pytestmark = pytest.mark.django_db


def test_the_built_in_rendering_is_json_safe_and_leaves_internals_out(customer):
    opportunity = OpportunityFactory(
        customer=customer, amount=Decimal("1234.50"), expected_close_date="2030-01-31"
    )
    data = payloads.json_safe(payloads.fields_of(opportunity))
    assert data["id"] == opportunity.pk
    assert data["amount"] == "1234.50"
    assert data["expected_close_date"] == "2030-01-31"
    assert data["customer_id"] == customer.pk and data["owner_id"] == opportunity.owner_id
    assert "customer_owner_id" not in data
    customer_data = payloads.json_safe(payloads.fields_of(customer))
    assert customer_data["name"] == customer.name
    assert not {"name_key", "email_key", "phone_normalized"} & set(customer_data)


def test_a_password_is_never_rendered(salesperson):
    data = payloads.render(get_user_model().objects.get(pk=salesperson.pk))
    assert data["username"] == salesperson.username
    assert not any("password" in key for key in data)


def test_a_registered_renderer_replaces_the_one_before(salesperson, monkeypatch):
    # The registry as it was (the HTTP API's schemas) comes back after the test.
    monkeypatch.setattr(payloads, "_renderers", dict(payloads._renderers))
    EndpointFactory()
    payloads.register("customers.Customer", lambda c: {"id": c.pk, "label": c.name.upper()})
    customer = customer_services.create_customer(by=salesperson, name="Acme")
    assert Event.objects.get().payload == {"id": customer.pk, "label": "ACME"}
    payloads.unregister("customers.Customer")
    assert "kind" in payloads.render(CustomerFactory())  # the built-in one


def test_old_finished_events_are_purged_and_open_ones_kept():
    old = timezone.now() - timedelta(days=40)
    finished = DeliveryFactory(status="delivered", event=EventFactory(occurred_at=old))
    waiting = DeliveryFactory(status="pending", event=EventFactory(occurred_at=old))
    recent = DeliveryFactory(status="failed")

    call_command("purge_webhook_events", "--days", "30")

    assert set(Delivery.objects.values_list("pk", flat=True)) == {waiting.pk, recent.pk}
    assert not Event.objects.filter(pk=finished.event_id).exists()
