"""Events written in the same transaction as the change that causes them (an outbox).

A service calls ``record(EventType.X, instance)`` inside its transaction, after the change.
When an active endpoint listens to that event, the event (with the record as it is now) and
one delivery per such endpoint are written there and then; they commit or roll back with
the change. Only once the transaction commits are the deliveries' tasks enqueued: a change
rolled back sends nothing. Should the enqueue itself be lost (the process dies right after
the commit), the worker's sweep finds the deliveries due and sends them
(webhooks.delivery.sweep): a committed event is delivered at least once.

Cost: the list of active endpoints is read once per transaction (one short query) and kept
for the rest of it, so a transaction that records many events, or a page that records none
for lack of endpoints, pays one query at most. The list is read again after this process
changes an endpoint (``models.generation``); another process's change is seen by the next
transaction.
"""

from datetime import timedelta
from weakref import WeakKeyDictionary

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from webhooks import models, payloads
from webhooks.models import Delivery, Endpoint, Event


class Batch:
    """What one transaction recorded: the endpoints it read, the deliveries to enqueue on
    commit (the batch is the commit hook itself)."""

    def __init__(self, endpoints: list[Endpoint]):
        self.endpoints = endpoints
        self.generation = models.generation
        self.delivery_ids: list[int] = []

    def __call__(self):
        from webhooks.tasks import deliver

        for delivery_id in self.delivery_ids:
            deliver.enqueue(delivery_id)


_batches: WeakKeyDictionary = WeakKeyDictionary()


def _batch(connection) -> Batch:
    """This transaction's batch: the one whose commit hook is still waiting (a rolled-back
    savepoint drops its hooks, and with them a batch begun there), or a new one."""
    batch = _batches.get(connection)
    if (
        batch is not None
        and batch.generation == models.generation
        and any(hook[1] is batch for hook in connection.run_on_commit)
    ):
        return batch
    batch = Batch(list(Endpoint.objects.filter(is_active=True).only("pk", "events")))
    _batches[connection] = batch
    # robust: the change has committed whatever happens to the queue; the sweep sends what
    # could not be enqueued.
    transaction.on_commit(batch, robust=True)
    return batch


def record(event_type: str, instance) -> None:
    """Record ``event_type`` for ``instance`` (the record after the change) in the current
    transaction, for every active endpoint that listens to it; nothing when none does."""
    record_many(event_type, [instance])


def record_many(event_type: str, instances) -> None:
    """``record`` for many records at once (an import's batch): one insert for the events,
    one for their deliveries."""
    instances = list(instances)
    if not instances:
        return
    # No savepoint inside the caller's transaction (it would cost two statements per call);
    # outside one, the event and its deliveries still commit together.
    with transaction.atomic(savepoint=False):
        batch = _batch(transaction.get_connection())
        endpoints = [endpoint for endpoint in batch.endpoints if endpoint.listens_to(event_type)]
        if not endpoints:
            return
        now = timezone.now()
        events = Event.objects.bulk_create(
            Event(
                type=event_type,
                occurred_at=now,
                model=instance._meta.label_lower,
                object_id=str(instance.pk),
                payload=payloads.render(instance),
            )
            for instance in instances
        )
        deliveries = Delivery.objects.bulk_create(
            new_delivery(event=event, endpoint=endpoint, now=now)
            for event in events
            for endpoint in endpoints
        )
        batch.delivery_ids.extend(delivery.pk for delivery in deliveries)


def new_delivery(*, event: Event, endpoint: Endpoint, now) -> Delivery:
    window = timedelta(seconds=settings.CRM_WEBHOOKS_RETRY_WINDOW_SECONDS)
    return Delivery(event=event, endpoint=endpoint, next_attempt_at=now, retry_until=now + window)


def recorder(events: dict[str, str]):
    """A workflow's ``on_step`` (crm.workflow): record ``events[action]`` for each step that
    has an event."""

    def on_step(instance, action: str) -> None:
        if action in events:
            record(events[action], instance)

    return on_step
