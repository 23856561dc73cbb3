from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField

from crm.models import CustomerRecord
from crm.money import MONEY
from crm.workflow import logged_transition
from orders.querysets import OrderLineQuerySet, OrderQuerySet
from quotes.lines import PricedLine


class Order(ConcurrentTransitionMixin, CustomerRecord):
    """A customer's order, made from an approved quote, approved by a manager and followed
    to completion. Transitions say what may happen; orders.services says who and how."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING_APPROVAL = "pending_approval", _("Pending approval")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")
        FULFILLED = "fulfilled", _("Fulfilled")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN = [Status.DRAFT, Status.PENDING_APPROVAL, Status.CONFIRMED, Status.REJECTED]

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="orders",
    )
    # One order per quote, enforced by the database.
    quote = models.OneToOneField(
        "quotes.Quote", verbose_name=_("quote"), on_delete=models.PROTECT, related_name="order"
    )
    status = FSMField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, protected=True
    )
    total = models.DecimalField(_("total"), **MONEY, default=Decimal("0.00"), editable=False)
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="orders_created",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved or rejected by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    fulfilled_at = models.DateTimeField(_("fulfilled"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-id"]
        permissions = [("approve_order", _("Can approve or reject orders"))]
        indexes = [
            # The navigation's approvals count on every manager's page, from the index alone.
            models.Index(
                fields=["created_by", "submitted_by"],
                condition=models.Q(status="pending_approval"),
                name="order_pending_people",
            ),
            # A salesperson's lists: their customers' records in each sort, one index range.
            models.Index(fields=["customer_owner", "-created_at", "-id"], name="order_co_created"),
            models.Index(fields=["customer_owner", "number", "id"], name="order_co_number"),
            models.Index(fields=["customer_owner", "total", "id"], name="order_co_total"),
            models.Index(
                fields=["customer_owner", "status", "-created_at", "-id"], name="order_co_status"
            ),
            models.Index(fields=["status", "-created_at", "-id"], name="order_status_created"),
            models.Index(fields=["customer", "-created_at", "-id"], name="order_customer_created"),
            models.Index(fields=["-created_at", "-id"], name="order_created"),
            models.Index(fields=["total", "id"], name="order_total"),
            models.Index(fields=["confirmed_at", "id"], name="order_confirmed"),
            # The list's "created by" filter (managers), newest first.
            models.Index(fields=["created_by", "-created_at", "-id"], name="order_creator_created"),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("orders:detail", kwargs={"pk": self.pk})

    @logged_transition(field=status, source=Status.DRAFT, target=Status.PENDING_APPROVAL)
    def submit(self, *, by=None, description=None):
        self.submitted_by, self.submitted_at = by, timezone.now()

    @logged_transition(
        field=status,
        source=[Status.DRAFT, Status.PENDING_APPROVAL],
        target=Status.CONFIRMED,
        permission="orders.approve_order",
    )
    def confirm(self, *, by=None, description=None):
        self.decided_by, self.decided_at = by, timezone.now()
        self.decision_reason = description or ""
        self.confirmed_at = self.decided_at

    @logged_transition(
        field=status,
        source=Status.PENDING_APPROVAL,
        target=Status.REJECTED,
        permission="orders.approve_order",
    )
    def reject(self, *, by=None, description=None):
        self.decided_by, self.decided_at = by, timezone.now()
        self.decision_reason = description or ""

    @logged_transition(field=status, source=Status.CONFIRMED, target=Status.FULFILLED)
    def fulfil(self, *, by=None, description=None):
        self.fulfilled_at = timezone.now()

    @logged_transition(field=status, source=Status.FULFILLED, target=Status.COMPLETED)
    def complete(self, *, by=None, description=None):
        self.completed_at = timezone.now()

    @logged_transition(field=status, source=OPEN, target=Status.CANCELLED)
    def cancel(self, *, by=None, description=None):
        self.cancelled_at = timezone.now()


class OrderLine(PricedLine):
    """A line copied from the quote when the order was made; it does not change after."""

    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="lines"
    )

    objects = OrderLineQuerySet.as_manager()

    class Meta(PricedLine.Meta):
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
