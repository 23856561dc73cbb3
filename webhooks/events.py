"""The catalogue of events an endpoint can listen to: one per change the services make.

Each is recorded by the service that makes the change, inside its transaction
(webhooks.outbox.record); the payload's ``data`` is the record after the change.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    CUSTOMER_CREATED = "customer.created", _("Customer created")
    # Edited, archived or restored.
    CUSTOMER_UPDATED = "customer.updated", _("Customer updated (edited, archived or restored)")
    OPPORTUNITY_CREATED = "opportunity.created", _("Opportunity created")
    OPPORTUNITY_UPDATED = "opportunity.updated", _("Opportunity details changed")
    # Moved among the open stages, or reopened from lost; won and lost have their own events.
    OPPORTUNITY_STAGE_CHANGED = (
        "opportunity.stage_changed",
        _("Opportunity moved to another open stage (or reopened)"),
    )
    OPPORTUNITY_WON = "opportunity.won", _("Opportunity won")
    OPPORTUNITY_LOST = "opportunity.lost", _("Opportunity lost")
    COMMUNICATION_CREATED = "communication.created", _("Communication logged")
    # Edited, or its follow-up marked done or open again.
    COMMUNICATION_UPDATED = (
        "communication.updated",
        _("Communication updated (edited, or its follow-up done or reopened)"),
    )
    QUOTE_SUBMITTED = "quote.submitted", _("Quote submitted for approval")
    QUOTE_APPROVED = "quote.approved", _("Quote approved (by a manager or a rule)")
    QUOTE_REJECTED = "quote.rejected", _("Quote rejected")
    QUOTE_SENT = "quote.sent", _("Quote sent to the customer")
    QUOTE_ACCEPTED = "quote.accepted", _("Quote accepted by the customer")
    QUOTE_DECLINED = "quote.declined", _("Quote declined by the customer")
    QUOTE_EXPIRED = "quote.expired", _("Quote expired")
    QUOTE_CANCELLED = "quote.cancelled", _("Quote cancelled")
    # The data is the new revision (a draft); the one it replaces is superseded.
    QUOTE_REVISED = "quote.revised", _("Quote revised (a new revision replaces it)")
    ORDER_CREATED = "order.created", _("Order created")
    ORDER_SUBMITTED = "order.submitted", _("Order submitted for approval")
    # Approving an order is confirming it: one event, also for an order created confirmed.
    ORDER_CONFIRMED = "order.confirmed", _("Order confirmed (approved)")
    ORDER_REJECTED = "order.rejected", _("Order rejected")
    ORDER_FULFILLED = "order.fulfilled", _("Order fulfilled")
    ORDER_COMPLETED = "order.completed", _("Order completed")
    ORDER_CANCELLED = "order.cancelled", _("Order cancelled")
