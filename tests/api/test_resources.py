"""Every endpoint × role: a salesperson sees and changes only their own customers' records
(a teammate's is 404 on read, update and every step, and never in a list); a manager sees
everything, as on the pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import (
    CommunicationFactory,
    ContactFactory,
    CustomerFactory,
    OpportunityFactory,
    OrderFactory,
    quote_with_lines,
)

pytestmark = pytest.mark.django_db

MAKERS = {
    "customers": lambda owner: CustomerFactory(owner=owner),
    "opportunities": lambda owner: OpportunityFactory(customer=CustomerFactory(owner=owner)),
    "communications": lambda owner: CommunicationFactory(customer=CustomerFactory(owner=owner)),
    "quotes": lambda owner: quote_with_lines(opportunity__customer=CustomerFactory(owner=owner)),
    "orders": lambda owner: OrderFactory(quote__opportunity__customer=CustomerFactory(owner=owner)),
}
UPDATES = {
    "customers": {"name": "Changed"},
    "opportunities": {"name": "Changed"},
    "communications": {"subject": "Changed"},
    "quotes": {"notes": "Changed"},
    "orders": {"notes": "Changed"},
}
STEPS = {
    "customers": {"archive": {}, "restore": {}},
    "opportunities": {"move": {"stage": "qualified"}},
    "communications": {"follow-up": {"done": True}},
    "quotes": {
        **{key: {} for key in ["submit", "approve", "revise", "send", "accept", "decline"]},
        "cancel": {},
        "reject": {"reason": "Too cheap"},
    },
    "orders": {
        **{key: {} for key in ["submit", "approve", "fulfil", "complete", "cancel"]},
        "reject": {"reason": "No stock"},
    },
}
ENDPOINT_STEPS = [(resource, step) for resource, steps in STEPS.items() for step in steps]


@pytest.mark.parametrize("resource", MAKERS)
def test_a_salesperson_lists_only_their_own(resource, salesperson, teammate, sales_api):
    own, foreign = MAKERS[resource](salesperson), MAKERS[resource](teammate)
    ids = {item["id"] for item in sales_api.get(f"/{resource}/").data["items"]}
    assert own.pk in ids and foreign.pk not in ids


@pytest.mark.parametrize("resource", MAKERS)
def test_a_manager_lists_everyones(resource, salesperson, teammate, manager_api):
    records = [MAKERS[resource](salesperson), MAKERS[resource](teammate)]
    ids = {item["id"] for item in manager_api.get(f"/{resource}/").data["items"]}
    assert ids >= {record.pk for record in records}


@pytest.mark.parametrize("resource", MAKERS)
def test_the_owner_and_a_manager_read_a_record(resource, salesperson, sales_api, manager_api):
    record = MAKERS[resource](salesperson)
    for api in (sales_api, manager_api):
        response = api.get(f"/{resource}/{record.pk}")
        assert response.status_code == 200 and response.data["id"] == record.pk


@pytest.mark.parametrize("resource", MAKERS)
def test_a_teammates_record_is_404_to_read_and_update(resource, teammate, sales_api):
    record = MAKERS[resource](teammate)
    before = type(record).objects.filter(pk=record.pk).values().get()
    assert sales_api.get(f"/{resource}/{record.pk}").status_code == 404
    assert sales_api.patch(f"/{resource}/{record.pk}", UPDATES[resource]).status_code == 404
    assert type(record).objects.filter(pk=record.pk).values().get() == before


@pytest.mark.parametrize(("resource", "step"), ENDPOINT_STEPS)
def test_every_step_on_a_teammates_record_is_404(resource, step, teammate, sales_api):
    record = MAKERS[resource](teammate)
    before = type(record).objects.filter(pk=record.pk).values().get()
    response = sales_api.post(f"/{resource}/{record.pk}/{step}", STEPS[resource][step])
    assert response.status_code == 404
    assert type(record).objects.filter(pk=record.pk).values().get() == before


@pytest.mark.parametrize("resource", MAKERS)
def test_the_owner_updates_a_record(resource, salesperson, sales_api):
    record = MAKERS[resource](salesperson)
    response = sales_api.patch(f"/{resource}/{record.pk}", UPDATES[resource])
    assert response.status_code == 200, response.data
    field, value = next(iter(UPDATES[resource].items()))
    assert response.data[field] == value


def test_a_salesperson_cannot_open_a_deal_on_a_teammates_customer(sales_api, foreign_customer):
    response = sales_api.post("/opportunities/", {"customer_id": foreign_customer.pk})
    assert response.status_code == 422
    assert "customer" in response.data["errors"]


def test_a_salesperson_cannot_create_a_customer_for_someone_else(sales_api, teammate):
    response = sales_api.post("/customers/", {"name": "Acme", "owner_id": teammate.pk})
    assert response.status_code == 403


def test_a_manager_creates_a_customer_for_a_salesperson(manager_api, salesperson):
    response = manager_api.post("/customers/", {"name": "Acme", "owner_id": salesperson.pk})
    assert response.status_code == 201 and response.data["owner_id"] == salesperson.pk


def test_contacts_are_added_changed_and_removed(sales_api, customer):
    added = sales_api.post(f"/customers/{customer.pk}/contacts", {"name": "Li Lei"})
    assert added.status_code == 201
    path = f"/customers/{customer.pk}/contacts/{added.data['id']}"
    assert sales_api.patch(path, {"title": "CEO"}).data["title"] == "CEO"
    assert sales_api.delete(path).status_code == 204
    assert sales_api.get(f"/customers/{customer.pk}").data["contacts"] == []


def test_a_teammates_contact_is_404(sales_api, foreign_customer, customer):
    contact = ContactFactory(customer=foreign_customer)
    path = f"/customers/{foreign_customer.pk}/contacts/{contact.pk}"
    assert sales_api.patch(path, {"title": "x"}).status_code == 404
    assert sales_api.delete(path).status_code == 404
    # Nor through one's own customer's path.
    assert sales_api.delete(f"/customers/{customer.pk}/contacts/{contact.pk}").status_code == 404
    assert (
        sales_api.post(f"/customers/{foreign_customer.pk}/contacts", {"name": "x"}).status_code
        == 404
    )


def test_a_deal_moves_and_lost_needs_a_reason(sales_api, customer):
    deal = OpportunityFactory(customer=customer)
    path = f"/opportunities/{deal.pk}/move"
    assert sales_api.post(path, {"stage": "proposal"}).data["stage"] == "proposal"
    assert sales_api.post(path, {"stage": "lost"}).status_code == 422
    lost = sales_api.post(path, {"stage": "lost", "note": "Budget cut"})
    assert (lost.data["stage"], lost.data["lost_reason"]) == ("lost", "Budget cut")


def test_a_won_deal_cannot_move(sales_api, customer):
    deal = OpportunityFactory(customer=customer, stage="won")
    assert (
        sales_api.post(f"/opportunities/{deal.pk}/move", {"stage": "qualified"}).status_code == 409
    )


def test_a_follow_up_is_marked_done(sales_api, customer):
    communication = CommunicationFactory(
        customer=customer, follow_up_on=timezone.localdate() + timedelta(days=1)
    )
    response = sales_api.post(f"/communications/{communication.pk}/follow-up", {"done": True})
    assert response.data["follow_up_done"] is True


def test_the_quote_workflow_with_its_refusals(sales_api, manager_api, customer):
    quote = quote_with_lines(opportunity__customer=customer)
    path = f"/quotes/{quote.pk}"
    new_lines = {"lines": [{"description": "Panels", "quantity": "2", "unit_price": "300.00"}]}
    assert sales_api.patch(path, new_lines).data["total"] == "600.00"
    assert sales_api.post(f"{path}/submit").data["status"] == "pending_approval"
    assert sales_api.patch(path, {"notes": "late"}).status_code == 409
    assert sales_api.post(f"{path}/approve").status_code == 403
    assert manager_api.post(f"{path}/reject").status_code == 422  # the reason is required
    rejected = manager_api.post(f"{path}/reject", {"reason": "Discount too high"})
    assert (rejected.data["status"], rejected.data["decision_reason"]) == (
        "rejected",
        "Discount too high",
    )
    assert sales_api.post(f"{path}/revise").data["status"] == "draft"
    sales_api.post(f"{path}/submit")
    assert manager_api.post(f"{path}/approve", {"note": "OK"}).data["status"] == "approved"
    assert sales_api.post(f"{path}/send").data["status"] == "sent"
    assert sales_api.post(f"{path}/decline").data["status"] == "declined"
    assert sales_api.post(f"{path}/cancel").status_code == 409


def test_nobody_approves_their_own_quote(manager_api, manager):
    quote = quote_with_lines(opportunity__customer=CustomerFactory(owner=manager))
    manager_api.post(f"/quotes/{quote.pk}/submit")
    assert manager_api.post(f"/quotes/{quote.pk}/approve").status_code == 403


def test_the_order_workflow(sales_api, manager_api, customer):
    quote = quote_with_lines(opportunity__customer=customer)
    sales_api.post(f"/quotes/{quote.pk}/submit")
    manager_api.post(f"/quotes/{quote.pk}/approve")
    created = sales_api.post("/orders/", {"quote_id": quote.pk})
    assert created.status_code == 201 and created.data["total"] == quote.total.to_eng_string()
    assert len(created.data["lines"]) == 1
    again = sales_api.post("/orders/", {"quote_id": quote.pk})
    assert again.status_code == 422  # one order per quote
    path = f"/orders/{created.data['id']}"
    assert sales_api.post(f"{path}/submit").data["status"] == "pending_approval"
    assert sales_api.post(f"{path}/approve").status_code == 403
    assert manager_api.post(f"{path}/approve").data["status"] == "confirmed"
    assert sales_api.post(f"{path}/fulfil").data["status"] == "fulfilled"
    assert sales_api.post(f"{path}/complete").data["status"] == "completed"
    assert sales_api.post(f"{path}/cancel").status_code == 409


def test_a_salesperson_cannot_create_a_confirmed_order(sales_api, customer):
    quote = quote_with_lines(opportunity__customer=customer, status="approved")
    response = sales_api.post("/orders/", {"quote_id": quote.pk, "status": "confirmed"})
    assert response.status_code == 403


def test_a_quote_needs_lines_or_an_amount(sales_api, customer):
    deal = OpportunityFactory(customer=customer)
    body = {"opportunity_id": deal.pk, "valid_until": "2030-12-31"}
    assert sales_api.post("/quotes/", body).status_code == 422
    both = {**body, "amount": 10, "lines": [{"description": "x", "unit_price": 1}]}
    assert sales_api.post("/quotes/", both).status_code == 422
    assert sales_api.post("/quotes/", {**body, "amount": 10}).status_code == 201
