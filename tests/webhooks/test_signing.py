"""The signature, checked as a receiver would from the README's recipe."""

import hashlib
import hmac
import json

import pytest

from tests.factories import DeliveryFactory, EndpointFactory
from webhooks import delivery, signing

pytestmark = pytest.mark.django_db


def receiver_accepts(secret: str, headers: dict, body: bytes) -> bool:
    """The README's snippet: HMAC-SHA256 over timestamp + "." + raw body."""
    signed = headers["X-CRM-Timestamp"].encode() + b"." + body
    expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["X-CRM-Signature"])


def test_a_delivered_request_carries_a_signature_the_receiver_can_check(local_endpoint, receiver):
    item = DeliveryFactory(endpoint=local_endpoint)

    assert delivery.attempt(item.pk) == "delivered"

    request = receiver.requests[0]
    assert receiver_accepts(local_endpoint.secret, request.headers, request.body)
    assert not receiver_accepts("another secret", request.headers, request.body)
    assert not receiver_accepts(local_endpoint.secret, request.headers, request.body + b" ")
    assert signing.verify(
        local_endpoint.secret,
        timestamp=request.headers["X-CRM-Timestamp"],
        body=request.body,
        header=request.headers["X-CRM-Signature"],
    )


def test_the_request_says_what_it_is(local_endpoint, receiver):
    item = DeliveryFactory(endpoint=local_endpoint)
    delivery.attempt(item.pk)

    request = receiver.requests[0]
    assert request.path == "/hooks"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["X-CRM-Event"] == "customer.created"
    assert request.headers["X-CRM-Delivery"] == str(item.pk)
    assert json.loads(request.body) == {
        "id": str(item.event.pk),
        "type": "customer.created",
        "occurred_at": item.event.occurred_at.isoformat(),
        "data": item.event.payload,
    }


def test_an_old_timestamp_is_refused_by_verify():
    secret, body = "s3cret", b'{"id": "x"}'
    header = signing.signature(secret, "1000", body)
    assert signing.verify(secret, timestamp="1000", body=body, header=header, now=1200)
    assert not signing.verify(secret, timestamp="1000", body=body, header=header, now=2000)
    assert not signing.verify(secret, timestamp="soon", body=body, header=header)


def test_each_endpoint_has_its_own_generated_secret():
    first, second = EndpointFactory(), EndpointFactory()
    assert len(first.secret) >= 40 and first.secret != second.secret
