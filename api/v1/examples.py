"""Examples of the HTTP API's bodies, for the OpenAPI document and its docs page.

One consistent story (the README's curl flow): Alice's customer John Doe, his deal, a call,
a quote and its order. Each schema names its example with ``examples(...)``;
tests/api/test_docs.py checks that every request body and 200/201 answer has one and that
each example matches its schema.
"""

from pydantic import ConfigDict

NEXT = "eyJzb3J0IjogIi11cGRhdGVkIiwgImFmdGVyIjogWyIyMDI2LTExLTAyVDA5OjMwOjAwKzA4OjAwIiwgNDJdfQ"
CREATED, UPDATED = "2026-11-02T09:15:00+08:00", "2026-11-02T09:30:00+08:00"


def examples(*values: dict) -> ConfigDict:
    """A schema's ``model_config`` with these examples in its JSON schema."""
    return ConfigDict(json_schema_extra={"examples": list(values)})


def page_of(item: dict) -> ConfigDict:
    return examples({"items": [item], "next": NEXT})


CONTACT = {
    "id": 7,
    "name": "Li Wei",
    "title": "Purchasing manager",
    "email": "li.wei@example.com",
    "phone": "+86 139 0000 1234",
    "is_primary": True,
}
CONTACT_IN = {key: value for key, value in CONTACT.items() if key != "id"}
CONTACT_UPDATE = {"title": "Head of purchasing"}

CUSTOMER = {
    "id": 42,
    "name": "John Doe",
    "kind": "company",
    "industry": "manufacturing",
    "source": "website",
    "status": "prospect",
    "rating": "A",
    "owner_id": 3,
    "owner": "alice",
    "phone": "1234567890",
    "email": "john@example.com",
    "website": "https://example.com",
    "address": "88 Century Avenue, Shanghai",
    "needs": "20 forklifts before March",
    "notes": "",
    "external_id": "ERP-10042",
    "tags": ["VIP"],
    "archived": False,
    "contacts": [CONTACT],
    "created_at": CREATED,
    "updated_at": UPDATED,
}
CUSTOMER_CREATE = {
    "name": "John Doe",
    "phone": "1234567890",
    "email": "john@example.com",
    "kind": "company",
    "source": "website",
    "tags": ["VIP"],
}
CUSTOMER_UPDATE = {"status": "active", "rating": "A", "tags": ["VIP", "Government"]}

OPPORTUNITY = {
    "id": 17,
    "customer_id": 42,
    "customer": "John Doe",
    "name": "20 forklifts",
    "amount": "10000.00",
    "stage": "qualified",
    "probability": 25,
    "weighted_amount": "2500.00",
    "expected_close_date": "2026-12-31",
    "owner_id": 3,
    "next_step": "Send the quote",
    "description": "",
    "lost_reason": "",
    "closed_at": None,
    "created_at": CREATED,
    "updated_at": UPDATED,
}
OPPORTUNITY_CREATE = {"customer_id": 42, "amount": 10000, "stage": "qualified"}
OPPORTUNITY_UPDATE = {"next_step": "Call back on Monday", "expected_close_date": "2026-12-31"}
MOVE = {"stage": "lost", "note": "Chose a cheaper supplier"}

COMMUNICATION = {
    "id": 90,
    "customer_id": 42,
    "opportunity_id": 17,
    "author_id": 3,
    "channel": "phone",
    "direction": "outbound",
    "subject": "Hello, John",
    "content": "Hello, John",
    "occurred_at": "2026-11-02T10:00:00+08:00",
    "follow_up_on": "2026-11-09",
    "follow_up_done": False,
    "created_at": CREATED,
    "updated_at": UPDATED,
}
COMMUNICATION_CREATE = {
    "opportunity_id": 17,
    "channel": "phone",
    "content": "Hello, John",
    "follow_up_on": "2026-11-09",
}
COMMUNICATION_UPDATE = {"subject": "First call", "follow_up_on": None}
FOLLOW_UP = {"done": True}

LINE = {
    "position": 1,
    "product_id": None,
    "description": "Forklift, 3 t",
    "quantity": "2.00",
    "unit": "",
    "unit_price": "5000.00",
    "discount_percent": "5.00",
    "tax_rate": "0.00",
    "net_amount": "9500.00",
    "tax_amount": "0.00",
    "line_total": "9500.00",
}
LINE_IN = {
    "description": "Forklift, 3 t",
    "quantity": "2",
    "unit_price": "5000.00",
    "discount_percent": "5",
}
QUOTE = {
    "id": 5,
    "number": "Q-2026-00005",
    "revision": 1,
    "previous_revision_id": None,
    "original_id": None,
    "opportunity_id": 17,
    "customer_id": 42,
    "status": "pending_approval",
    "valid_until": "2030-12-31",
    "terms": "Payment within 30 days",
    "notes": "",
    "subtotal": "10000.00",
    "discount_total": "500.00",
    "net_total": "9500.00",
    "tax_total": "0.00",
    "total": "9500.00",
    "prices_include_tax": False,
    "created_by_id": 3,
    "submitted_by_id": 3,
    "submitted_at": "2026-11-02T11:00:00+08:00",
    "decided_by_id": None,
    "decided_at": None,
    "decision_reason": "",
    "auto_approved_by_rule": "",
    "required_by_rule": "",
    "sent_at": None,
    "closed_at": None,
    "customer_answered_at": None,
    "customer_name": "",
    "customer_reason": "",
    "lines": [LINE],
    "created_at": CREATED,
    "updated_at": UPDATED,
}
QUOTE_CREATE = {"opportunity_id": 17, "amount": 9500, "valid_until": "2030-12-31"}
QUOTE_CREATE_LINES = {"opportunity_id": 17, "valid_until": "2030-12-31", "lines": [LINE_IN]}
QUOTE_UPDATE = {"valid_until": "2031-01-31", "lines": [LINE_IN]}

ORDER = {
    "id": 3,
    "number": "SO-2026-00003",
    "customer_id": 42,
    "quote_id": 5,
    "status": "confirmed",
    "total": "9500.00",
    "notes": "Deliver to the Pudong warehouse",
    "created_by_id": 1,
    "submitted_by_id": None,
    "submitted_at": None,
    "decided_by_id": 1,
    "decided_at": "2026-11-03T09:00:00+08:00",
    "decision_reason": "",
    "confirmed_at": "2026-11-03T09:00:00+08:00",
    "fulfilled_at": None,
    "completed_at": None,
    "cancelled_at": None,
    "lines": [LINE],
    "created_at": CREATED,
    "updated_at": UPDATED,
}
ORDER_CREATE = {"quote_id": 5, "customer_id": 42, "status": "confirmed"}
ORDER_UPDATE = {"notes": "Deliver to the Pudong warehouse"}

NOTE = {"note": "Checked the discount with finance"}
REASON = {"reason": "The discount is above what we can offer"}
PROBLEM = {
    "type": "urn:crm:problem:invalid",
    "title": "Invalid input",
    "status": 422,
    "detail": "Some values are missing or invalid; see errors.",
    "errors": {"email": ["Enter a valid email address."]},
}
