"""Sending deliveries: one attempt at a time on the background worker, retried with
exponential backoff until the delivery's window (``CRM_WEBHOOKS_RETRY_WINDOW_SECONDS``,
24 h) has passed, then failed; sent again by a manager; swept when their task was lost.

Schedule: attempt 1 at once; after the n-th failure the next waits
``CRM_WEBHOOKS_RETRY_SECONDS`` × 2^(n-1) (60 s, 2 min, 4 min, … about 17 h), and never
later than the window's end, where one last attempt is made. With the defaults that is
twelve attempts over 24 h.

At least once, at most one at a time: an attempt claims the delivery under its row lock
(``sending``) and posts outside any transaction; a worker that dies in the middle leaves it
``sending``, and the sweep sends it again. So a receiver may see an event twice (the event
id says so), never two attempts at once.
"""

import json
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from webhooks import addresses, sending, signing
from webhooks.models import Delivery, Event

logger = logging.getLogger(__name__)
Status = Delivery.Status
#: A task may be picked up a moment before the time it was scheduled for on another clock.
EARLY = timedelta(seconds=1)
#: How many deliveries one sweep sends again (the next sweep takes the rest).
SWEEP_LIMIT = 500


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt."""
    return timedelta(seconds=settings.CRM_WEBHOOKS_RETRY_SECONDS * 2 ** (attempts - 1))


def enqueue(delivery_id: int, *, at=None) -> None:
    """Send the delivery's task once the current transaction commits (``at``: not before)."""
    from webhooks.tasks import deliver

    task = deliver.using(run_after=at) if at is not None else deliver
    transaction.on_commit(lambda: task.enqueue(delivery_id), robust=True)


def body_of(delivery: Delivery) -> bytes:
    return json.dumps(delivery.event.envelope(), ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def headers_for(delivery: Delivery, body: bytes, *, timestamp: str) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "X-CRM-Event": delivery.event.type,
        "X-CRM-Delivery": str(delivery.pk),
        "X-CRM-Timestamp": timestamp,
        "X-CRM-Signature": signing.signature(delivery.endpoint.secret, timestamp, body),
    }


def _claim(delivery_id: int) -> Delivery | None:
    """The delivery, now ``sending`` with one more attempt, if it is waiting and due; else
    None (delivered, failed, taken by another worker, or scheduled later)."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",), skip_locked=True)
            .select_related("event", "endpoint")
            .filter(pk=delivery_id, status=Status.PENDING, next_attempt_at__lte=now + EARLY)
            .first()
        )
        if delivery is None:
            return None
        if not delivery.endpoint.is_active:
            delivery.status, delivery.last_error = Status.FAILED, _("The endpoint is not active.")
            delivery.save(update_fields=["status", "last_error"])
            return None
        delivery.status = Status.SENDING
        delivery.attempts += 1
        delivery.last_attempt_at = delivery.next_attempt_at = now
        delivery.save(update_fields=["status", "attempts", "last_attempt_at", "next_attempt_at"])
    return delivery


def attempt(delivery_id: int) -> str:
    """One attempt at a delivery (the body of its task); returns the status it is left in."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return "skipped"
    body = body_of(delivery)
    try:
        target = addresses.check_url(delivery.endpoint.url)
    except ValidationError as error:
        outcome = sending.Outcome(False, error=" ".join(error.messages))
    else:
        timestamp = str(int(time.time()))
        outcome = sending.post(
            target,
            body,
            headers_for(delivery, body, timestamp=timestamp),
            timeout=settings.CRM_WEBHOOKS_TIMEOUT_SECONDS,
        )
    return _record(delivery, outcome)


def _record(delivery: Delivery, outcome: sending.Outcome) -> str:
    now = timezone.now()
    changes = {"last_response_code": outcome.status, "last_error": outcome.error}
    if outcome.ok:
        changes.update(status=Status.DELIVERED, delivered_at=now)
    elif now >= delivery.retry_until:
        changes.update(status=Status.FAILED)
    else:
        next_at = min(now + retry_delay(delivery.attempts), delivery.retry_until)
        changes.update(status=Status.PENDING, next_attempt_at=next_at)
    if not outcome.ok:
        logger.warning("Webhook delivery %s failed: %s", delivery.pk, outcome.error)
    with transaction.atomic():
        # Only the attempt that claimed it writes its outcome (not one sent again meanwhile).
        updated = Delivery.objects.filter(
            pk=delivery.pk, status=Status.SENDING, attempts=delivery.attempts
        ).update(**changes)
        if updated and changes["status"] == Status.PENDING:
            enqueue(delivery.pk, at=changes["next_attempt_at"])
    return changes["status"]


def send_again(*, delivery_ids, by) -> int:
    """Send the chosen deliveries again now, whatever became of them, with a new window of
    retries. Needs ``webhooks.change_delivery``; returns how many were sent again."""
    if not by.has_perm("webhooks.change_delivery"):
        raise PermissionDenied(_("Only a sales manager can send webhooks again."))
    now = timezone.now()
    window = timedelta(seconds=settings.CRM_WEBHOOKS_RETRY_WINDOW_SECONDS)
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update()
            .filter(pk__in=list(delivery_ids))
            .exclude(status=Status.SENDING)
            .values_list("pk", flat=True)
        )
        Delivery.objects.filter(pk__in=ids).update(
            status=Status.PENDING, next_attempt_at=now, retry_until=now + window
        )
        for delivery_id in ids:
            enqueue(delivery_id)
    return len(ids)


def sweep() -> int:
    """Send again what no task will: deliveries due for longer than a worker takes to pick
    them up (their task was lost: the process died between commit and enqueue, or the queue
    refused it), and deliveries left ``sending`` by a worker that died mid-request. Run by
    ``manage.py run_worker`` beside crm.background's own sweep. Returns how many."""
    now = timezone.now()
    stale = timedelta(seconds=settings.CRM_JOB_STALE_SECONDS)
    lost = models.Q(status=Status.PENDING, next_attempt_at__lt=now - stale)
    silent = models.Q(
        status=Status.SENDING,
        next_attempt_at__lt=now - stale - timedelta(seconds=settings.CRM_WEBHOOKS_TIMEOUT_SECONDS),
    )
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(lost | silent)
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:SWEEP_LIMIT]
        )
        # Due now, so that a task already in the queue does not find it scheduled later;
        # not swept again before another stale period.
        Delivery.objects.filter(pk__in=ids).update(status=Status.PENDING, next_attempt_at=now)
        for delivery_id in ids:
            enqueue(delivery_id)
    return len(ids)


def purge_events(*, older_than: timedelta, chunk: int = 1000) -> int:
    """Delete events older than ``older_than`` with their deliveries, except those still
    waiting or being sent; a chunk per transaction. Returns how many events went."""
    cutoff = timezone.now() - older_than
    open_events = Delivery.objects.filter(status__in=[Status.PENDING, Status.SENDING])
    purged = 0
    while True:
        with transaction.atomic():
            ids = list(
                Event.objects.filter(occurred_at__lt=cutoff)
                .exclude(pk__in=open_events.values("event_id"))
                .values_list("pk", flat=True)[:chunk]
            )
            if not ids:
                return purged
            Delivery.objects.filter(event_id__in=ids).delete()
            Event.objects.filter(pk__in=ids).delete()
        purged += len(ids)
