"""Idempotency-Key: a retried POST returns the first response and changes nothing."""

import threading
import time

import pytest
from django.db import connection

from api.models import IdempotencyKey
from customers import services as customer_services
from customers.models import Customer
from tests.api.conftest import ApiClient, make_key
from tests.factories import QuoteFactory, SalespersonFactory

KEY = {"Idempotency-Key": "3f1c7a52-retry-me"}


@pytest.mark.django_db
def test_the_same_key_and_body_return_the_first_response(sales_api):
    first = sales_api.post("/customers/", {"name": "Acme"}, headers=KEY)
    again = sales_api.post("/customers/", {"name": "Acme"}, headers=KEY)
    assert first.status_code == again.status_code == 201
    assert again.data == first.data
    assert again["Idempotent-Replayed"] == "true"
    assert Customer.objects.filter(name="Acme").count() == 1


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_refused(sales_api):
    sales_api.post("/customers/", {"name": "Acme"}, headers=KEY)
    response = sales_api.post("/customers/", {"name": "Other"}, headers=KEY)
    assert response.status_code == 422
    assert response.data["type"] == "urn:crm:problem:idempotency-key-reused"
    assert not Customer.objects.filter(name="Other").exists()


@pytest.mark.django_db
def test_without_a_key_each_post_acts(sales_api):
    sales_api.post("/customers/", {"name": "Acme"})
    sales_api.post("/customers/", {"name": "Acme"})
    assert Customer.objects.filter(name="Acme").count() == 2


@pytest.mark.django_db
def test_keys_are_per_user(sales_api, teammate_api):
    sales_api.post("/customers/", {"name": "Acme"}, headers=KEY)
    response = teammate_api.post("/customers/", {"name": "Acme"}, headers=KEY)
    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert Customer.objects.filter(name="Acme").count() == 2


@pytest.mark.django_db
def test_a_refused_request_is_not_remembered(sales_api, manager_api, customer):
    quote = QuoteFactory(opportunity__customer=customer, status="pending_approval")
    refused = sales_api.post(f"/quotes/{quote.pk}/approve", headers=KEY)
    assert refused.status_code == 403
    assert not IdempotencyKey.objects.exists()


@pytest.mark.django_db
def test_a_replayed_step_does_not_run_again(sales_api, customer):
    quote = QuoteFactory(opportunity__customer=customer, status="approved")
    first = sales_api.post(f"/quotes/{quote.pk}/send", headers=KEY)
    again = sales_api.post(f"/quotes/{quote.pk}/send", headers=KEY)
    assert first.status_code == again.status_code == 200
    assert again.data == first.data  # not a 409 "already sent"


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", " ", "x" * 256])
def test_a_malformed_key_is_422(sales_api, key):
    response = sales_api.post("/customers/", {"name": "Acme"}, headers={"Idempotency-Key": key})
    assert response.status_code == 422
    assert not Customer.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_identical_posts_make_one_record(monkeypatch):
    slow = customer_services.create_customer

    def create_slowly(**kwargs):
        time.sleep(0.5)  # both requests are surely inside at once
        return slow(**kwargs)

    monkeypatch.setattr(customer_services, "create_customer", create_slowly)
    user = SalespersonFactory()
    key = make_key(user)
    barrier = threading.Barrier(2)
    responses = []

    def post():
        try:
            barrier.wait(timeout=10)
            client = ApiClient(key)
            responses.append(client.post("/customers/", {"name": "Concurrent"}, headers=KEY))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [r.status_code for r in responses] == [201, 201]
    assert responses[0].data == responses[1].data
    assert Customer.objects.filter(name="Concurrent").count() == 1
    assert IdempotencyKey.objects.count() == 1
