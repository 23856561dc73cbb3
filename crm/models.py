from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class CustomerRecord(TimeStampedModel):
    """A record that hangs off a customer (deal, communication, quote, order) and is visible
    to whoever owns the customer.

    ``customer_owner`` copies the customer's owner onto the row, so that "my records, newest
    first" is one index range, not a join to a million customers. The copy is set here on
    every save that gives the record a customer, and moved by the customers' reassignment
    service; on PostgreSQL a foreign key on (customer, customer_owner) to the customer's
    (id, owner) with ON UPDATE CASCADE makes a stale copy impossible.
    """

    customer_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer's owner"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,  # every index on it is composite, in the concrete model's Meta
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        loaded = getattr(self, "_loaded_customer_id", None)
        if self.customer_id is not None and (self._state.adding or self.customer_id != loaded):
            self.customer_owner_id = self.customer.owner_id
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "customer_owner"}
        super().save(*args, **kwargs)
        self._loaded_customer_id = self.customer_id

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        record = super().from_db(db, field_names, values, **kwargs)
        record._loaded_customer_id = record.__dict__.get("customer_id")
        return record


class ExportLog(models.Model):
    """One CSV export: who took which list, with which filter, and how many rows left."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="exports",
    )
    list_name = models.CharField(_("list"), max_length=50)
    query_string = models.TextField(_("filter"), blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    completed = models.BooleanField(
        _("completed"),
        default=False,
        help_text=_("False when the download was interrupted before the last row."),
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-started_at", "-id"], name="exportlog_user_started")
        ]

    def __str__(self):
        return f"{self.list_name} · {self.user} · {self.started_at:%Y-%m-%d %H:%M}"


class NumberSequence(models.Model):
    """The last number handed out per series (e.g. "Q-2026"), for human-readable numbers.

    A row lock on the series makes numbers unique and gap-free however many records are
    created at once (see crm.numbering).
    """

    series = models.CharField(max_length=20, primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")

    def __str__(self):
        return f"{self.series}: {self.last}"
