from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communications.querysets import CommunicationQuerySet
from crm.models import CustomerRecord


class Communication(CustomerRecord):
    """One contact with a customer: a call, an e-mail, a meeting... and, optionally, the date
    by which someone has to follow it up. Open follow-ups form each salesperson's to-do list."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("E-mail")
        MEETING = "meeting", _("Meeting")
        VISIT = "visit", _("Visit")
        MESSAGE = "message", _("Message")
        OTHER = "other", _("Other")

    class Direction(models.TextChoices):
        INBOUND = "inbound", _("Inbound")
        OUTBOUND = "outbound", _("Outbound")

    #: Bootstrap icon of each channel, for lists and the timeline.
    CHANNEL_ICONS = {
        Channel.PHONE: "bi-telephone",
        Channel.EMAIL: "bi-envelope",
        Channel.MEETING: "bi-people",
        Channel.VISIT: "bi-geo-alt",
        Channel.MESSAGE: "bi-chat-dots",
        Channel.OTHER: "bi-three-dots",
    }

    # The composite indexes below start with each foreign key, so the single-column ones
    # Django would add are left out (db_index=False): they would only cost writes.
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="communications",
        db_index=False,
    )
    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        verbose_name=_("opportunity"),
        on_delete=models.SET_NULL,
        related_name="communications",
        null=True,
        blank=True,
        db_index=False,
    )
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.PHONE
    )
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.OUTBOUND
    )
    subject = models.CharField(_("subject"), max_length=200)
    content = models.TextField(_("content"), blank=True, max_length=20000)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="communications",
        db_index=False,
    )
    follow_up_on = models.DateField(
        _("follow up on"),
        null=True,
        blank=True,
        help_text=_("The day someone should get back to the customer. Leave empty if not needed."),
    )
    follow_up_done = models.BooleanField(_("follow-up done"), default=False)
    follow_up_done_at = models.DateTimeField(
        _("follow-up done at"), null=True, blank=True, editable=False
    )

    objects = CommunicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("communication")
        verbose_name_plural = _("communications")
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(follow_up_done=False) | models.Q(follow_up_on__isnull=False),
                name="communication_done_needs_follow_up",
            ),
        ]
        indexes = [
            # A salesperson's lists: their customers' records in each sort, one index range.
            models.Index(fields=["customer_owner", "-occurred_at", "-id"], name="comm_co_occurred"),
            models.Index(fields=["customer_owner", "subject", "id"], name="comm_co_subject"),
            models.Index(
                fields=["customer_owner", "channel", "-occurred_at", "-id"], name="comm_co_channel"
            ),
            models.Index(fields=["customer_owner", "follow_up_on", "id"], name="comm_co_follow_up"),
            # Every filter and sort ends in the primary key, so pages are stable and indexed.
            models.Index(fields=["-occurred_at", "-id"], name="comm_occurred"),
            models.Index(fields=["customer", "-occurred_at", "-id"], name="comm_customer_occurred"),
            models.Index(fields=["opportunity", "-occurred_at", "-id"], name="comm_opp_occurred"),
            models.Index(fields=["author", "-occurred_at", "-id"], name="comm_author_occurred"),
            models.Index(fields=["channel", "-occurred_at", "-id"], name="comm_channel_occurred"),
            models.Index(
                fields=["direction", "-occurred_at", "-id"], name="comm_direction_occurred"
            ),
            models.Index(fields=["subject", "id"], name="comm_subject"),
            models.Index(fields=["follow_up_on", "id"], name="comm_follow_up"),
            # The to-do lists: "my open follow-ups by date", by author and by customer.
            models.Index(
                fields=["author", "follow_up_done", "follow_up_on", "id"],
                name="comm_author_follow_up",
            ),
            models.Index(
                fields=["customer", "follow_up_on", "id"],
                condition=models.Q(follow_up_done=False, follow_up_on__isnull=False),
                name="comm_customer_open_follow_up",
            ),
            # The navigation badge on every page: a salesperson's open follow-ups due by today.
            models.Index(
                fields=["customer_owner", "follow_up_on", "id"],
                condition=models.Q(follow_up_done=False, follow_up_on__isnull=False),
                name="comm_co_open_follow_up",
            ),
        ]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("communications:detail", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        if (
            self.opportunity_id
            and self.customer_id
            and self.opportunity.customer_id != self.customer_id
        ):
            raise ValidationError(
                {"opportunity": _("This opportunity belongs to another customer.")}
            )
        if self.follow_up_done and self.follow_up_on is None:
            raise ValidationError({"follow_up_on": _("A follow-up marked done needs its date.")})

    @property
    def channel_icon(self) -> str:
        return self.CHANNEL_ICONS.get(self.channel, "bi-chat")

    @property
    def follow_up_state(self) -> str:
        """ "" without a follow-up, else "done", "overdue", "today" or "upcoming"."""
        if self.follow_up_on is None:
            return ""
        if self.follow_up_done:
            return "done"
        today = timezone.localdate()
        if self.follow_up_on < today:
            return "overdue"
        if self.follow_up_on == today:
            return "today"
        return "upcoming"
