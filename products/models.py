"""The catalogue: what the company sells, at which list price and tax rate, and (for the
managers' margin only) at which cost. Quote lines copy from it; nothing points back."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from crm.models import TimeStampedModel
from crm.money import MONEY
from products.querysets import ProductQuerySet

#: Who may see cost prices and margins (the Sales managers' group holds it).
VIEW_COST = "products.view_cost_price"


def can_see_cost(user) -> bool:
    return user.is_authenticated and user.has_perm(VIEW_COST)


class Product(TimeStampedModel):
    sku = models.CharField(
        _("SKU"), max_length=50, unique=True, help_text=_("The product's unique code.")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    unit = models.CharField(
        _("unit"), max_length=20, blank=True, help_text=_("For example pcs, kg, hour, set.")
    )
    list_price = models.DecimalField(_("list price"), **MONEY, validators=[MinValueValidator(0)])
    cost_price = models.DecimalField(
        _("cost price"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Only sales managers see it (for margins)."),
    )
    tax_rate = models.DecimalField(
        _("tax %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    category = models.CharField(_("category"), max_length=100, blank=True)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive products are not offered on new lines.")
    )

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name", "id"]
        permissions = [("view_cost_price", _("Can see cost prices and margins"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(list_price__gte=0), name="product_list_price_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(tax_rate__gte=0, tax_rate__lte=100),
                name="product_tax_rate_0_100",
            ),
        ]
        indexes = [
            # The quote line's product search: a SKU prefix walks this index in order
            # (text_pattern_ops answers LIKE 'ABC%' whatever the collation).
            models.Index(
                fields=["sku"], name="product_sku_prefix", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["name", "id"], name="product_name"),
            models.Index(fields=["is_active", "name", "id"], name="product_active_name"),
            models.Index(fields=["category", "name", "id"], name="product_category_name"),
            models.Index(fields=["list_price", "id"], name="product_list_price"),
            models.Index(fields=["-updated_at", "-id"], name="product_updated"),
        ]

    def __str__(self):
        return f"{self.sku} · {self.name}"

    def get_absolute_url(self):
        return reverse("products:detail", kwargs={"pk": self.pk})

    def save(self, *args, **kwargs):
        # One way to write a SKU, so that "ab-1" and "AB-1 " are the same product.
        self.sku = normalize_sku(self.sku)
        super().save(*args, **kwargs)


def normalize_sku(value: str) -> str:
    return " ".join((value or "").split()).upper()
