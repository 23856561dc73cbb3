"""A quote and its priced lines."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField

from crm.models import CustomerRecord
from crm.money import MONEY, to_cents
from crm.workflow import logged_transition
from quotes.lines import PricedLine
from quotes.querysets import QuoteLineQuerySet, QuoteQuerySet


class Quote(ConcurrentTransitionMixin, CustomerRecord):
    """A priced offer to a customer for one opportunity, approved by a manager before it
    goes out. Transitions say what may happen; quotes.services says who, under which lock."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING_APPROVAL = "pending_approval", _("Pending approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")
        CANCELLED = "cancelled", _("Cancelled")
        # A newer revision replaced it: its terms stay as they were, it can never be
        # accepted or become an order.
        SUPERSEDED = "superseded", _("Superseded")

    OPEN = [Status.DRAFT, Status.PENDING_APPROVAL, Status.APPROVED, Status.REJECTED, Status.SENT]
    #: States from which an order can be made (the quote then becomes accepted). A
    #: superseded revision never can: only the revision the customer accepts.
    ORDERABLE = [Status.APPROVED, Status.SENT, Status.ACCEPTED]
    #: States from which "Revise" makes a new revision (the terms were approved, perhaps
    #: seen by the customer, so they are never edited in place): the quote is superseded.
    REVISABLE = [Status.APPROVED, Status.SENT, Status.DECLINED, Status.EXPIRED]

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    # Revisions: revision 1 is the original (``Q-2026-00042``); revision n is a copy made
    # by "Revise" (``Q-2026-00042-R2``), each pointing at the one it replaced and at the
    # original, which names the family. The database defaults (here and on the customer's
    # answer) make a row inserted without these columns (bulk COPY, raw SQL) an original
    # that no customer has answered online.
    revision = models.PositiveSmallIntegerField(
        _("revision"), default=1, db_default=1, editable=False
    )
    previous_revision = models.OneToOneField(
        "self",
        verbose_name=_("previous revision"),
        on_delete=models.PROTECT,
        related_name="next_revision",
        null=True,
        blank=True,
        editable=False,
    )
    original = models.ForeignKey(
        "self",
        verbose_name=_("original"),
        on_delete=models.PROTECT,
        related_name="later_revisions",
        null=True,
        blank=True,
        editable=False,
    )
    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        verbose_name=_("opportunity"),
        on_delete=models.PROTECT,
        related_name="quotes",
    )
    # The opportunity's customer, kept on the quote for access and lists.
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="quotes",
        editable=False,
    )
    status = FSMField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, protected=True
    )
    valid_until = models.DateField(_("valid until"))
    terms = models.TextField(
        _("terms"), blank=True, max_length=5000, help_text=_("Shown to the customer on the quote.")
    )
    notes = models.TextField(
        _("internal notes"),
        blank=True,
        max_length=5000,
        help_text=_("Never shown to the customer."),
    )
    subtotal = models.DecimalField(_("subtotal"), **MONEY, default=Decimal("0.00"), editable=False)
    discount_total = models.DecimalField(
        _("discount"), **MONEY, default=Decimal("0.00"), editable=False
    )
    #: After discount, before tax.
    net_total = models.DecimalField(_("net"), **MONEY, default=Decimal("0.00"), editable=False)
    tax_total = models.DecimalField(
        _("tax"), **MONEY, default=Decimal("0.00"), db_default=Decimal("0.00"), editable=False
    )
    #: What the customer pays: net + tax (for quotes made before tax existed, the net).
    total = models.DecimalField(_("total"), **MONEY, default=Decimal("0.00"), editable=False)
    #: Whether the unit prices of its lines include tax (CRM_PRICES_INCLUDE_TAX when made).
    prices_include_tax = models.BooleanField(
        _("prices include tax"), default=False, db_default=False, editable=False
    )
    #: Net minus cost over the lines whose cost is known (managers only); None: no cost known.
    margin = models.DecimalField(_("margin"), **MONEY, null=True, blank=True, editable=False)
    margin_percent = models.DecimalField(
        _("margin %"), max_digits=7, decimal_places=2, null=True, blank=True, editable=False
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="quotes_created",
        editable=False,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved or rejected by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)
    decision_reason = models.TextField(_("reason"), blank=True, editable=False)
    auto_approved_by_rule = models.CharField(
        _("approved automatically by rule"), max_length=100, blank=True, editable=False
    )
    #: The rule under which the quote had to wait for a manager, when one did.
    required_by_rule = models.CharField(
        _("needs a manager under rule"), max_length=100, blank=True, db_default="", editable=False
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)

    # The customer's link (quotes.public_links): the random half that finds the quote; the
    # other half is a signature over it and this revision's terms, never stored.
    public_key = models.CharField(max_length=32, unique=True, null=True, blank=True, editable=False)
    # The customer's own answer on that page: who typed their name, when, from where.
    customer_answered_at = models.DateTimeField(
        _("customer answered"), null=True, blank=True, editable=False
    )
    customer_name = models.CharField(
        _("accepted by (name typed)"),
        max_length=200,
        blank=True,
        default="",
        db_default="",
        editable=False,
    )
    customer_reason = models.TextField(
        _("customer's reason"),
        blank=True,
        max_length=2000,
        default="",
        db_default="",
        editable=False,
    )
    customer_ip = models.GenericIPAddressField(
        _("customer's IP address"), null=True, blank=True, editable=False
    )
    customer_user_agent = models.CharField(
        _("customer's browser"),
        max_length=300,
        blank=True,
        default="",
        db_default="",
        editable=False,
    )
    # Until the salesperson opens the quote, the answer counts on their menu badge.
    customer_answer_seen = models.BooleanField(
        _("answer seen"), default=True, db_default=True, editable=False
    )

    objects = QuoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["-created_at", "-id"]
        permissions = [("approve_quote", _("Can approve or reject quotes"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total__gte=0), name="quote_total_not_negative"
            ),
        ]
        indexes = [
            # The navigation's approvals count on every manager's page, from the index alone.
            models.Index(
                fields=["created_by", "submitted_by"],
                condition=models.Q(status="pending_approval"),
                name="quote_pending_people",
            ),
            # A salesperson's lists: their customers' records in each sort, one index range.
            models.Index(fields=["customer_owner", "-created_at", "-id"], name="quote_co_created"),
            models.Index(fields=["customer_owner", "number", "id"], name="quote_co_number"),
            models.Index(fields=["customer_owner", "total", "id"], name="quote_co_total"),
            models.Index(
                fields=["customer_owner", "status", "-created_at", "-id"], name="quote_co_status"
            ),
            models.Index(
                fields=["customer_owner", "valid_until", "id"], name="quote_co_valid_until"
            ),
            models.Index(fields=["status", "-created_at", "-id"], name="quote_status_created"),
            models.Index(fields=["customer", "-created_at", "-id"], name="quote_customer_created"),
            models.Index(fields=["-created_at", "-id"], name="quote_created"),
            models.Index(fields=["valid_until", "id"], name="quote_valid_until"),
            models.Index(fields=["total", "id"], name="quote_total"),
            models.Index(fields=["created_by", "status", "id"], name="quote_creator_status"),
            # The owner's "customer answers" badge on every page, from the index alone.
            models.Index(
                fields=["customer_owner"],
                condition=models.Q(customer_answer_seen=False),
                name="quote_unseen_answers",
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("quotes:detail", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def family_id(self) -> int:
        """The original's id: every revision of one quote shares it."""
        return self.original_id or self.pk

    @property
    def base_number(self) -> str:
        return self.number.rsplit("-R", 1)[0] if self.revision > 1 else self.number

    @property
    def is_past_validity(self) -> bool:
        return self.valid_until < timezone.localdate()

    @property
    def effective_discount_percent(self) -> Decimal:
        """How much below list price the whole quote is, in percent."""
        if not self.subtotal:
            return Decimal("0.00")
        return to_cents(self.discount_total * 100 / self.subtotal)

    @property
    def cost_total(self) -> Decimal | None:
        return None if self.margin is None else self.net_total - self.margin

    # Transitions. Who may call them and under which lock is decided in quotes.services.

    @logged_transition(field=status, source=Status.DRAFT, target=Status.PENDING_APPROVAL)
    def submit(self, *, by=None, description=None):
        self.submitted_by, self.submitted_at = by, timezone.now()

    @logged_transition(
        field=status,
        source=Status.PENDING_APPROVAL,
        target=Status.APPROVED,
        permission="quotes.approve_quote",
    )
    def approve(self, *, by=None, description=None, rule=""):
        self.decided_by, self.decided_at = by, timezone.now()
        self.decision_reason = description or ""
        self.auto_approved_by_rule = rule

    @logged_transition(
        field=status,
        source=Status.PENDING_APPROVAL,
        target=Status.REJECTED,
        permission="quotes.approve_quote",
    )
    def reject(self, *, by=None, description=None):
        self.decided_by, self.decided_at = by, timezone.now()
        self.decision_reason = description or ""

    @logged_transition(field=status, source=Status.REJECTED, target=Status.DRAFT)
    def revise(self, *, by=None, description=None):
        # Going back to draft forgets the earlier submission and decision.
        self.submitted_by = self.submitted_at = None
        self.decided_by = self.decided_at = None
        self.decision_reason = self.auto_approved_by_rule = self.required_by_rule = ""

    @logged_transition(field=status, source=Status.APPROVED, target=Status.SENT)
    def send(self, *, by=None, description=None):
        self.sent_at = timezone.now()

    @logged_transition(field=status, source=[Status.APPROVED, Status.SENT], target=Status.ACCEPTED)
    def accept(self, *, by=None, description=None):
        self.closed_at = timezone.now()

    @logged_transition(field=status, source=Status.SENT, target=Status.DECLINED)
    def decline(self, *, by=None, description=None):
        self.closed_at = timezone.now()

    @logged_transition(field=status, source=[Status.APPROVED, Status.SENT], target=Status.EXPIRED)
    def expire(self, *, by=None, description=None):
        self.closed_at = timezone.now()

    @logged_transition(field=status, source=OPEN, target=Status.CANCELLED)
    def cancel(self, *, by=None, description=None):
        self.closed_at = timezone.now()

    @logged_transition(field=status, source=REVISABLE, target=Status.SUPERSEDED)
    def supersede(self, *, by=None, description=None):
        self.closed_at = timezone.now()


class QuoteLine(PricedLine):
    quote = models.ForeignKey(
        Quote, verbose_name=_("quote"), on_delete=models.CASCADE, related_name="lines"
    )

    objects = QuoteLineQuerySet.as_manager()

    class Meta(PricedLine.Meta):
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")
