"""The priced line both a quote and its order hold: what is sold, how many, at what price.

An order's lines are copies of its quote's, so the fields, their limits and the arithmetic
live here once; each concrete line adds the record it belongs to.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.money import MONEY, to_cents


class PricedLine(models.Model):
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    unit_price = models.DecimalField(_("unit price"), **MONEY, validators=[MinValueValidator(0)])
    discount_percent = models.DecimalField(
        _("discount %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    line_total = models.DecimalField(
        _("line total"), **MONEY, default=Decimal("0.00"), editable=False
    )

    #: The fields a line is made of, in the order people read them; copied quote -> order.
    PRICED_FIELDS = ("position", "description", "quantity", "unit_price", "discount_percent")

    class Meta:
        abstract = True
        ordering = ["position", "id"]
        # %(class)s keeps the quote lines' constraint names as they were before this base.
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="%(class)s_quantity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(discount_percent__gte=0, discount_percent__lte=100),
                name="%(class)s_discount_0_100",
            ),
        ]

    def __str__(self):
        return self.description

    @property
    def list_amount(self) -> Decimal:
        return to_cents(self.quantity * self.unit_price)

    def compute_total(self) -> Decimal:
        return to_cents(self.list_amount * (100 - self.discount_percent) / 100)

    def priced_values(self) -> dict:
        """The line's priced fields and total, to make a copy of it elsewhere."""
        return {name: getattr(self, name) for name in (*self.PRICED_FIELDS, "line_total")}
