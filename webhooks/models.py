"""Webhooks: the endpoints managers register, the events recorded (the outbox), and one
delivery of each event to each endpoint that listens to it.

A delivery is not a ``crm.background.Job``: a job gives up after ``CRM_JOB_ATTEMPTS`` tries
spaced by seconds, while a delivery keeps trying with exponential backoff for a window of
time (24 h by default) and may be sent again by hand after it succeeded or failed; and the
sweep must also find deliveries whose task was lost before it ever ran (a queued job is not
swept). So deliveries keep their own state and their own sweep (webhooks.delivery).
"""

import secrets
import uuid

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from webhooks import addresses
from webhooks.events import EventType


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class EndpointQuerySet(models.QuerySet):
    def update(self, **kwargs):
        changed()
        return super().update(**kwargs)

    def delete(self):
        changed()
        return super().delete()


#: Bumped whenever this process changes an endpoint, so that a transaction's cached list of
#: endpoints (webhooks.outbox) is read again.
generation = 0


def changed() -> None:
    global generation
    generation += 1


class Endpoint(models.Model):
    url = models.URLField(
        _("URL"),
        max_length=500,
        help_text=_("An http:// or https:// address on the internet; redirects are not followed."),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    #: The event types (webhooks.events.EventType) sent to this endpoint.
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(
        _("secret"),
        max_length=100,
        default=new_secret,
        help_text=_(
            "Signs every request (X-CRM-Signature); give it to the receiver to verify them."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EndpointQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["url", "id"]

    def __str__(self):
        return self.description or self.url

    def save(self, *args, **kwargs):
        changed()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        changed()
        return super().delete(*args, **kwargs)

    def clean(self):
        super().clean()
        unknown = sorted(set(self.events or ()) - set(EventType.values))
        if unknown:
            raise ValidationError(
                {"events": _("Unknown events: %(events)s") % {"events": ", ".join(unknown)}}
            )
        if self.url:
            try:
                addresses.check_url(self.url)
            except ValidationError as error:
                raise ValidationError({"url": error.messages}) from None

    def listens_to(self, event_type: str) -> bool:
        return event_type in self.events


class Event(models.Model):
    """One change, written in the transaction that made it: what every delivery sends."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(_("event"), max_length=40, choices=EventType.choices)
    occurred_at = models.DateTimeField(_("occurred"))
    #: The record's model ("customers.customer") and id, to find an event by its record.
    model = models.CharField(_("record type"), max_length=60)
    object_id = models.CharField(_("record id"), max_length=40)
    #: The record as it was when the event happened (webhooks.payloads).
    payload = models.JSONField(_("record"), encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(fields=["model", "object_id", "occurred_at"], name="webhook_event_record"),
            models.Index(fields=["-occurred_at"], name="webhook_event_time"),
        ]

    def __str__(self):
        return f"{self.type} {self.model} {self.object_id}"

    def envelope(self) -> dict:
        """What is POSTed: the event's id, type, time and the record."""
        return {
            "id": str(self.id),
            "type": self.type,
            "occurred_at": self.occurred_at.isoformat(),
            "data": self.payload,
        }


class Delivery(models.Model):
    """One event to one endpoint: tried until it is delivered or its window has passed."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="deliveries"
    )
    endpoint = models.ForeignKey(
        Endpoint, verbose_name=_("endpoint"), on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    #: When the next attempt is due (pending), or when the current one started (sending).
    next_attempt_at = models.DateTimeField(_("next attempt"))
    #: No attempt starts after this: the delivery is then failed (send again restarts it).
    retry_until = models.DateTimeField(_("retried until"))
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_response_code = models.PositiveSmallIntegerField(
        _("last response code"), null=True, blank=True
    )
    last_error = models.TextField(_("last error"), blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The delivery log, newest first: all of it, and of one endpoint.
            models.Index(fields=["-created_at", "-id"], name="webhook_delivery_time"),
            models.Index(fields=["endpoint", "-created_at", "-id"], name="webhook_delivery_log"),
            # The sweep: deliveries waiting or sending, by when they are due.
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_delivery_due",
                condition=models.Q(status__in=["pending", "sending"]),
            ),
        ]

    def __str__(self):
        return f"{self.event.type} → {self.endpoint}"
