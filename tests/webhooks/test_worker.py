"""Webhooks on a real background worker (``manage.py run_worker``, another process on the
test database) posting to a real receiver: a committed change is delivered, after the
receiver failed twice; a delivery whose task was lost is found by the worker's sweep."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from customers import services as customer_services
from tests.factories import EndpointFactory
from tests.webhooks.receiver import Answer
from tests.webhooks.test_signing import receiver_accepts
from tests.worker import STALE_SECONDS, running_worker, wait_for
from webhooks.models import Delivery, Event

pytestmark = pytest.mark.django_db(transaction=True)

WORKER_SETTINGS = {"CRM_WEBHOOKS_ALLOW_PRIVATE": "1", "CRM_WEBHOOKS_RETRY_SECONDS": "1"}


def delivered() -> bool:
    return Delivery.objects.filter(status="delivered").exists()


def test_a_committed_change_is_delivered_by_the_worker_after_two_failures(
    salesperson, receiver, tmp_path
):
    endpoint = EndpointFactory(url=receiver.url)
    receiver.answer(Answer(status=500), Answer(status=502))

    customer = customer_services.create_customer(by=salesperson, name="Acme 客户")
    with running_worker(tmp_path / "worker.log", **WORKER_SETTINGS):
        wait_for(delivered, timeout=60, what="the delivery")

    item = Delivery.objects.get()
    assert (item.attempts, item.last_response_code, item.last_error) == (3, 200, "")
    bodies = [json.loads(request.body) for request in receiver.requests]
    assert len(bodies) == 3 and all(body == bodies[0] for body in bodies)
    assert bodies[0]["id"] == str(Event.objects.get().pk)
    assert bodies[0]["type"] == "customer.created"
    assert bodies[0]["data"]["id"] == customer.pk and bodies[0]["data"]["name"] == "Acme 客户"
    last = receiver.requests[-1]
    assert receiver_accepts(endpoint.secret, last.headers, last.body)


def test_the_worker_sweeps_up_a_delivery_whose_task_was_lost(salesperson, receiver, tmp_path):
    EndpointFactory(url=receiver.url)
    customer_services.create_customer(by=salesperson, name="Acme")
    # The process "died" between the commit and the enqueue: no task, a delivery due.
    DBTaskResult.objects.all().delete()
    Delivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=STALE_SECONDS + 1))

    with running_worker(tmp_path / "worker.log", **WORKER_SETTINGS):
        wait_for(delivered, timeout=60, what="the swept delivery")

    assert len(receiver.requests) == 1
