"""The background task of a webhook delivery (enqueued through ``django.tasks`` only)."""

from django.tasks import task

from webhooks import delivery


@task()
def deliver(delivery_id: int) -> str:
    return delivery.attempt(delivery_id)
