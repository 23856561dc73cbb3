from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from crm.models import TimeStampedModel
from customers.querysets import (
    EMAIL_KEY_LENGTH,
    NAME_KEY_LENGTH,
    ContactQuerySet,
    CustomerQuerySet,
    email_key,
    name_key,
    normalize_phone,
)

#: The customers that may match as duplicates (customers.duplicates): all but merged ones.
MATCHABLE = models.Q(merged_into__isnull=True)


class Tag(models.Model):
    """A label salespeople put on customers (e.g. "VIP", "Government"); managers curate them."""

    name = models.CharField(_("name"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Customer(TimeStampedModel):
    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        INDIVIDUAL = "individual", _("Individual")

    class Source(models.TextChoices):
        WEBSITE = "website", _("Website")
        REFERRAL = "referral", _("Referral")
        EVENT = "event", _("Event")
        COLD_CALL = "cold_call", _("Cold call")
        ADVERTISING = "advertising", _("Advertising")
        PARTNER = "partner", _("Partner")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        LEAD = "lead", _("Lead")
        PROSPECT = "prospect", _("Prospect")
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")

    class Rating(models.TextChoices):
        # The usual A/B/C/D grading of customers by value.
        A = "A", _("A · key account")
        B = "B", _("B · important")
        C = "C", _("C · regular")
        D = "D", _("D · low priority")

    class Industry(models.TextChoices):
        MANUFACTURING = "manufacturing", _("Manufacturing")
        RETAIL = "retail", _("Retail and wholesale")
        TECHNOLOGY = "technology", _("Information technology")
        FINANCE = "finance", _("Finance and insurance")
        HEALTHCARE = "healthcare", _("Healthcare")
        EDUCATION = "education", _("Education")
        CONSTRUCTION = "construction", _("Construction and real estate")
        LOGISTICS = "logistics", _("Transport and logistics")
        ENERGY = "energy", _("Energy and utilities")
        GOVERNMENT = "government", _("Government and public sector")
        HOSPITALITY = "hospitality", _("Hospitality and food")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    # The name and the e-mail as duplicates are matched (customers.duplicates), kept by save()
    # like the phone's digits.
    name_key = models.CharField(max_length=NAME_KEY_LENGTH, blank=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMPANY)
    industry = models.CharField(_("industry"), max_length=30, choices=Industry.choices, blank=True)
    source = models.CharField(
        _("source channel"), max_length=20, choices=Source.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.LEAD
    )
    rating = models.CharField(_("rating"), max_length=1, choices=Rating.choices, blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="customers")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="customers",
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    phone_normalized = models.CharField(max_length=40, blank=True, editable=False)
    email = models.EmailField(_("e-mail"), blank=True)
    email_key = models.CharField(max_length=EMAIL_KEY_LENGTH, blank=True, editable=False)
    website = models.URLField(_("website"), blank=True)
    address = models.TextField(_("address"), blank=True, max_length=500)
    needs = models.TextField(
        _("needs"), blank=True, max_length=5000, help_text=_("What the customer wants from us.")
    )
    notes = models.TextField(_("notes"), blank=True, max_length=10000)
    #: The customer's id in the system it was imported from: deals and communications
    #: imported later find their customer by it. Not unique: old systems hold duplicates.
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="merged_customers",
        db_index=False,  # a partial index: few customers are ever merged
    )

    objects = CustomerQuerySet.as_manager()

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name", "id"]
        indexes = [
            # Every filter and sort ends in the primary key, so pages are stable and indexed.
            models.Index(fields=["owner", "-updated_at", "-id"], name="customer_owner_updated"),
            models.Index(fields=["owner", "name", "id"], name="customer_owner_name"),
            models.Index(fields=["owner", "status", "id"], name="customer_owner_status"),
            models.Index(fields=["owner", "industry", "id"], name="customer_owner_industry"),
            models.Index(fields=["owner", "-created_at", "-id"], name="customer_owner_created"),
            # A manager's sort by owner: users in name order (customers.0006), then each
            # one's current customers by id.
            models.Index(
                fields=["owner", "id"],
                condition=models.Q(archived_at__isnull=True),
                name="customer_owner_current",
            ),
            # The dashboard's "customers by status": current customers, read from the index.
            models.Index(
                fields=["status"],
                condition=models.Q(archived_at__isnull=True),
                name="customer_current_status",
            ),
            models.Index(
                fields=["owner", "status"],
                condition=models.Q(archived_at__isnull=True),
                name="customer_owner_current_status",
            ),
            models.Index(fields=["-updated_at", "-id"], name="customer_updated"),
            models.Index(fields=["name", "id"], name="customer_name"),
            models.Index(fields=["-created_at", "-id"], name="customer_created"),
            models.Index(fields=["status", "id"], name="customer_status"),
            models.Index(fields=["industry", "id"], name="customer_industry"),
            models.Index(fields=["source", "id"], name="customer_source"),
            models.Index(fields=["kind", "id"], name="customer_kind"),
            models.Index(fields=["rating", "id"], name="customer_rating"),
            # Each key duplicates are matched on, everyone's and each owner's, read index-only:
            # matching (``key IN (...)``, with the owner and id of each match) and the
            # duplicates page's walk in key order (customers.duplicate_pairs).
            models.Index(
                fields=["email_key", "owner", "id"], condition=MATCHABLE, name="customer_email_key"
            ),
            models.Index(
                fields=["phone_normalized", "owner", "id"],
                condition=MATCHABLE,
                name="customer_phone_key",
            ),
            models.Index(
                fields=["name_key", "owner", "id"], condition=MATCHABLE, name="customer_name_key"
            ),
            models.Index(
                fields=["owner", "email_key"], condition=MATCHABLE, name="customer_owner_email_key"
            ),
            models.Index(
                fields=["owner", "phone_normalized"],
                condition=MATCHABLE,
                name="customer_owner_phone_key",
            ),
            models.Index(
                fields=["owner", "name_key"], condition=MATCHABLE, name="customer_owner_name_key"
            ),
            models.Index(
                fields=["merged_into"],
                condition=models.Q(merged_into__isnull=False),
                name="customer_merged_into",
            ),
            models.Index(
                fields=["owner", "external_id"],
                condition=~models.Q(external_id=""),
                name="customer_owner_external_id",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("customers:detail", kwargs={"pk": self.pk})

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    #: The fields kept from others by `set_keys`.
    KEYS = {"phone": "phone_normalized", "name": "name_key", "email": "email_key"}

    def set_keys(self) -> None:
        """Work out the phone's digits and the matching keys of the name and the e-mail."""
        self.phone_normalized = normalize_phone(self.phone)
        self.name_key = name_key(self.name)
        self.email_key = email_key(self.email)

    @classmethod
    def from_db(cls, db, field_names, values, *, fetch_mode=None):
        customer = super().from_db(db, field_names, values, fetch_mode=fetch_mode)
        customer._stored_match = customer.match_state()
        return customer

    #: What decides which customers this one may be a duplicate of: its keys, its owner,
    #: whether it was merged (customers.shared_keys follows their changes).
    MATCH_STATE = ("email_key", "phone_normalized", "name_key", "owner_id", "merged_into_id")

    def match_state(self) -> dict:
        """The `MATCH_STATE` fields' values (None where the row was read without one): read
        from the instance's own dict, as `from_db` runs for every customer read."""
        values = self.__dict__
        return {name: values.get(name) for name in self.MATCH_STATE}

    def save(self, *args, **kwargs):
        self.set_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                *(key for field, key in self.KEYS.items() if field in update_fields),
            }
        stored = getattr(self, "_stored_match", None)
        super().save(*args, **kwargs)
        if self.match_state() != stored:
            # The duplicates page's list of shared keys follows (customers.shared_keys): the
            # keys this customer had and has, as the database now holds them.
            from customers import shared_keys

            shared_keys.refresh(shared_keys.keys_of([self], before=[stored]))
            self._stored_match = self.match_state()


class SharedKey(models.Model):
    """A duplicate key (customers.duplicates) that more than one customer had when it was last
    saved: among everyone's customers (no owner) or among one owner's. The duplicates page
    reads these in key order instead of walking every customer's key to find them; it checks
    each against the customers, so one that is no longer shared is merely skipped.
    Kept by customers.shared_keys."""

    #: The exact rule's place in customers.duplicates.RULES (e-mail, phone, name: the order
    #: the page lists them in; ``manage.py rebuild_shared_keys`` should that order change).
    rule = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=NAME_KEY_LENGTH)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
        db_index=False,  # shared_key_owner starts with it
    )

    class Meta:
        constraints = [
            # Also the indexes the page reads in key order: a manager's, a salesperson's.
            models.UniqueConstraint(
                fields=["rule", "key"],
                condition=models.Q(owner__isnull=True),
                name="shared_key_everyone",
            ),
            models.UniqueConstraint(
                fields=["owner", "rule", "key"],
                condition=models.Q(owner__isnull=False),
                name="shared_key_owner",
            ),
        ]

    def __str__(self):
        return f"{self.rule}: {self.key}"


class Contact(TimeStampedModel):
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=120)
    title = models.CharField(_("title"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-is_primary", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=models.Q(is_primary=True),
                name="contact_one_primary_per_customer",
            ),
        ]
        indexes = [models.Index(fields=["name", "id"], name="contact_name")]

    def __str__(self):
        return self.name


class CustomerMerge(models.Model):
    """One duplicate merged into the customer kept (customers.merge): by whom, when, which of
    the kept customer's values changed and how many records moved over."""

    survivor = models.ForeignKey(
        Customer, verbose_name=_("customer kept"), on_delete=models.CASCADE, related_name="merges"
    )
    merged = models.ForeignKey(
        Customer,
        verbose_name=_("merged customer"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    #: The merged customer's name and id as they were, should it be deleted later.
    merged_name = models.CharField(_("merged customer's name"), max_length=200)
    merged_number = models.BigIntegerField(_("merged customer's id"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("merged by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    merged_at = models.DateTimeField(_("merged"), auto_now_add=True)
    #: {field: [value before, value taken from the merged customer]}, changed fields only.
    changes = models.JSONField(_("values taken"), default=dict, blank=True)
    #: {"app_label.model": how many of its records moved to the customer kept}.
    moved = models.JSONField(_("records moved"), default=dict, blank=True)

    class Meta:
        verbose_name = _("customer merge")
        verbose_name_plural = _("customer merges")
        ordering = ["-merged_at", "-id"]

    def __str__(self):
        return f"{self.merged_name} → {self.survivor_id}"

    def changed_labels(self) -> list[str]:
        """The verbose names of the fields whose value came from the merged customer."""
        return [str(Customer._meta.get_field(name).verbose_name) for name in self.changes]

    def moved_counts(self) -> list[tuple[str, int]]:
        """(name, count) of each kind of record that moved: ("contact", 1), ("deals", 2)."""
        counts = []
        for label, count in self.moved.items():
            meta = apps.get_model(label)._meta
            counts.append(
                (str(meta.verbose_name if count == 1 else meta.verbose_name_plural), count)
            )
        return counts
