"""Which schema shows a record of each model: what webhooks send as an event's data, so a
receiver reads the same shape as ``GET /api/v1/<resource>/{id}`` answers."""

from api.v1.communications import CommunicationOut
from api.v1.customers import CustomerOut
from api.v1.opportunities import OpportunityOut
from api.v1.orders import OrderOut
from api.v1.quotes import QuoteOut
from webhooks import payloads

SCHEMAS = {
    "customers.Customer": CustomerOut,
    "opportunities.Opportunity": OpportunityOut,
    "communications.Communication": CommunicationOut,
    "quotes.Quote": QuoteOut,
    "orders.Order": OrderOut,
}


def as_the_api_shows(schema):
    def render(instance) -> dict:
        return schema.from_orm(instance).model_dump(mode="json")

    return render


def register_webhook_payloads() -> None:
    for model_label, schema in SCHEMAS.items():
        payloads.register(model_label, as_the_api_shows(schema))
