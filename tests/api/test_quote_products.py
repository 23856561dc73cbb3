"""The HTTP API's quote lines: a catalogue product fills the line, tax shows, a cost never."""

from decimal import Decimal

import pytest

from tests.factories import OpportunityFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_a_line_from_a_product_shows_tax_and_never_a_cost(api_for, salesperson, customer):
    product = ProductFactory(list_price=Decimal("100.00"), cost_price=Decimal("61.50"))
    deal = OpportunityFactory(customer=customer, stage="proposal")
    api = api_for(salesperson)
    payload = {
        "opportunity_id": deal.pk,
        "valid_until": "2099-01-01",
        "lines": [{"product_id": product.pk, "quantity": "2"}],
    }
    response = api.post("/quotes/", payload)
    assert response.status_code == 201, response.content
    body = response.data
    assert (body["net_total"], body["tax_total"], body["total"]) == ("200.00", "26.00", "226.00")
    assert body["lines"][0]["product_id"] == product.pk
    assert "61.50" not in response.content.decode() and "margin" not in body
    patch = {"lines": [{"product_id": product.pk, "quantity": "1", "tax_rate": "0"}]}
    response = api.patch(f"/quotes/{body['id']}", patch)
    assert response.status_code == 200, response.content
    assert response.data["total"] == "100.00"
