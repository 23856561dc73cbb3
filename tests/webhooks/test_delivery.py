"""Deliveries to a real HTTP receiver on 127.0.0.1: success, retry with backoff after
failures, redirects not followed, timeouts, failed once the window has passed, send again,
and the sweep that sends what a lost task would have."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from crm.sweeps import run_sweeps
from tests.factories import DeliveryFactory, EndpointFactory, ManagerFactory, SalespersonFactory
from tests.webhooks.receiver import Answer
from webhooks import delivery
from webhooks.models import Delivery

pytestmark = pytest.mark.django_db


def current(item: Delivery) -> Delivery:
    return Delivery.objects.get(pk=item.pk)


def make_due(item: Delivery) -> None:
    Delivery.objects.filter(pk=item.pk).update(next_attempt_at=timezone.now())


def queued_tasks() -> list[int]:
    return [
        task.args_kwargs["args"][0]
        for task in DBTaskResult.objects.filter(task_path="webhooks.tasks.deliver")
    ]


def test_a_delivery_is_posted_and_marked_delivered(local_endpoint, receiver):
    item = DeliveryFactory(endpoint=local_endpoint)

    assert delivery.attempt(item.pk) == "delivered"

    item = current(item)
    assert (item.status, item.attempts, item.last_response_code, item.last_error) == (
        "delivered",
        1,
        200,
        "",
    )
    assert item.delivered_at is not None
    assert len(receiver.requests) == 1


def test_after_two_failures_the_third_attempt_delivers_with_growing_waits(
    local_endpoint, receiver, settings, django_capture_on_commit_callbacks
):
    settings.CRM_WEBHOOKS_RETRY_SECONDS = 30
    receiver.answer(Answer(status=500), Answer(status=503))
    item = DeliveryFactory(endpoint=local_endpoint)
    waits = []

    for expected in ("pending", "pending", "delivered"):
        before = timezone.now()
        with django_capture_on_commit_callbacks(execute=True):
            assert delivery.attempt(item.pk) == expected
        if expected == "pending":
            waits.append(round((current(item).next_attempt_at - before).total_seconds()))
            assert delivery.attempt(item.pk) == "skipped"  # not due yet
            make_due(item)

    item = current(item)
    assert (item.status, item.attempts, item.last_response_code) == ("delivered", 3, 200)
    assert waits == [30, 60]
    assert [r.headers["X-CRM-Delivery"] for r in receiver.requests] == [str(item.pk)] * 3
    # Each retry was enqueued for its time on commit.
    tasks = DBTaskResult.objects.filter(task_path="webhooks.tasks.deliver")
    assert [task.run_after is not None for task in tasks] == [True, True]


def test_a_failure_keeps_the_status_code_and_what_the_receiver_said(local_endpoint, receiver):
    receiver.answer(Answer(status=500))
    item = DeliveryFactory(endpoint=local_endpoint)

    delivery.attempt(item.pk)

    item = current(item)
    assert (item.status, item.last_response_code) == ("pending", 500)
    assert item.last_error == "The endpoint answered 500: ok"


def test_a_redirect_is_not_followed_and_counts_as_a_failure(local_endpoint, receiver):
    receiver.answer(Answer(status=302, headers={"Location": "http://169.254.169.254/"}))
    item = DeliveryFactory(endpoint=local_endpoint)

    assert delivery.attempt(item.pk) == "pending"

    item = current(item)
    assert item.last_response_code == 302
    assert item.last_error == (
        "Redirected to http://169.254.169.254/; webhooks do not follow redirects."
    )
    assert len(receiver.requests) == 1


def test_a_receiver_that_does_not_answer_in_time_is_a_failure(local_endpoint, receiver, settings):
    settings.CRM_WEBHOOKS_TIMEOUT_SECONDS = 0.3
    receiver.answer(Answer(delay=1.5))
    item = DeliveryFactory(endpoint=local_endpoint)

    assert delivery.attempt(item.pk) == "pending"

    item = current(item)
    assert item.last_error == "No answer within 0.3 seconds."
    assert item.last_response_code is None


def test_a_refused_connection_is_a_failure(settings):
    settings.CRM_WEBHOOKS_ALLOW_PRIVATE = True
    item = DeliveryFactory(endpoint=EndpointFactory(url="http://127.0.0.1:9/nothing-here"))

    assert delivery.attempt(item.pk) == "pending"

    assert current(item).last_error.startswith("Could not connect:")


def test_a_failure_after_the_window_is_final(local_endpoint, receiver):
    receiver.answer(Answer(status=500))
    item = DeliveryFactory(
        endpoint=local_endpoint, retry_until=timezone.now() - timedelta(seconds=1)
    )

    assert delivery.attempt(item.pk) == "failed"
    assert delivery.attempt(item.pk) == "skipped"
    assert current(item).status == "failed"


def test_the_last_retry_is_made_at_the_end_of_the_window(local_endpoint, receiver, settings):
    settings.CRM_WEBHOOKS_RETRY_SECONDS = 3600
    receiver.answer(Answer(status=500))
    end = timezone.now() + timedelta(minutes=5)
    item = DeliveryFactory(endpoint=local_endpoint, retry_until=end)

    delivery.attempt(item.pk)

    assert current(item).next_attempt_at == end


def test_the_default_schedule_retries_for_a_day(settings):
    assert settings.CRM_WEBHOOKS_RETRY_WINDOW_SECONDS == 24 * 60 * 60
    waits = [delivery.retry_delay(n).total_seconds() for n in range(1, 12)]
    assert waits[:3] == [60, 120, 240]
    assert sum(waits[:10]) < 24 * 60 * 60 < sum(waits)


def test_an_inactive_endpoint_gets_nothing(receiver, settings):
    settings.CRM_WEBHOOKS_ALLOW_PRIVATE = True
    item = DeliveryFactory(endpoint=EndpointFactory(url=receiver.url, is_active=False))

    assert delivery.attempt(item.pk) == "skipped"

    assert (current(item).status, receiver.requests) == ("failed", [])


def test_send_again_restarts_a_failed_delivery_with_a_new_window(
    django_capture_on_commit_callbacks,
):
    item = DeliveryFactory(
        status="failed", retry_until=timezone.now() - timedelta(hours=1), attempts=12
    )
    manager = ManagerFactory()

    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.send_again(delivery_ids=[item.pk], by=manager) == 1

    item = current(item)
    assert item.status == "pending" and item.retry_until > timezone.now() + timedelta(hours=23)
    assert queued_tasks() == [item.pk]


def test_a_salesperson_cannot_send_again():
    item = DeliveryFactory(status="failed")
    with pytest.raises(PermissionDenied) as refused:
        delivery.send_again(delivery_ids=[item.pk], by=SalespersonFactory())
    assert "Only a sales manager" in str(refused.value)
    assert current(item).status == "failed"


def test_the_sweep_sends_a_delivery_whose_task_was_lost(
    settings, django_capture_on_commit_callbacks
):
    stale = timedelta(seconds=settings.CRM_JOB_STALE_SECONDS + 1)
    lost = DeliveryFactory(next_attempt_at=timezone.now() - stale)
    recent = DeliveryFactory()  # its task is surely still in the queue
    later = DeliveryFactory(next_attempt_at=timezone.now() + timedelta(hours=1))
    dead_worker = DeliveryFactory(
        status="sending", next_attempt_at=timezone.now() - stale - timedelta(seconds=30)
    )
    done = DeliveryFactory(status="delivered", next_attempt_at=timezone.now() - stale)

    with django_capture_on_commit_callbacks(execute=True):
        assert run_sweeps()["webhooks.deliveries"] == 2

    assert sorted(queued_tasks()) == sorted([lost.pk, dead_worker.pk])
    assert current(dead_worker).status == "pending"
    assert {current(d).status for d in (recent, later)} == {"pending"}
    assert current(done).status == "delivered"
    with django_capture_on_commit_callbacks(execute=True):
        assert run_sweeps()["webhooks.deliveries"] == 0  # not again before another stale period
