"""A webhook's data is the record as the HTTP API shows it: a receiver that reads the API
reads events with the same code."""

from customers import services as customer_services
from quotes.models import Quote
from tests.factories import EndpointFactory, OpportunityFactory
from webhooks.models import Event


def without_moments(data: dict) -> dict:
    """The record's fields but its timestamps (JSON's and the schema's precision differ)."""
    return {key: value for key, value in data.items() if not key.endswith("_at")}


def test_a_created_customer_event_carries_what_get_answers(salesperson, sales_api):
    EndpointFactory(events=["customer.created"])
    customer = customer_services.create_customer(
        by=salesperson, name="Acme", email="buyer@acme.test", phone="021 5555 0100"
    )

    event = Event.objects.get(type="customer.created")
    answer = sales_api.get(f"/customers/{customer.pk}")

    assert answer.status_code == 200
    assert without_moments(event.payload) == without_moments(answer.data)
    assert event.payload["owner"] == salesperson.get_username()


def test_a_submitted_quote_event_carries_its_lines_as_get_shows_them(salesperson, sales_api):
    EndpointFactory(events=["quote.submitted"])
    opportunity = OpportunityFactory(owner=salesperson, customer__owner=salesperson)
    created = sales_api.post(
        "/quotes/",
        {
            "opportunity_id": opportunity.pk,
            "valid_until": "2099-12-31",
            "lines": [{"description": "Pilot", "quantity": "2", "unit_price": "500.00"}],
        },
    )
    assert created.status_code == 201, created.data
    submitted = sales_api.post(f"/quotes/{created.data['id']}/submit")

    event = Event.objects.get(type="quote.submitted")
    assert event.payload["status"] == Quote.objects.get().status
    assert without_moments(event.payload) == without_moments(submitted.data)
    assert [line["description"] for line in event.payload["lines"]] == ["Pilot"]
