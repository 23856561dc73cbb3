"""The priced line both a quote and its order hold: what is sold, how many, at what price.

An order's lines are copies of its quote's, so the fields, their limits and the arithmetic
live here once; each concrete line adds the record it belongs to.

The arithmetic (`price_line`), all in ``Decimal`` and rounded once per line to the
currency's places:

- list amount = quantity × unit price; discounted = list amount × (100 − discount %) / 100;
- prices without tax: net = discounted, tax = net × rate / 100, gross = net + tax;
- prices with tax included: gross = discounted, net = gross × 100 / (100 + rate),
  tax = gross − net (so net + tax is always exactly gross);
- the quote's figures are the sums of its lines' rounded figures, and its tax is shown per
  rate as the sum of the lines' taxes at that rate.

A line may name the catalogue's product it was chosen from; its name, unit, price, tax rate
and cost are copies, so a later change in the catalogue changes no quote. The cost (for the
margin) is for managers' eyes only.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.money import MONEY, round_money

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class LineAmounts:
    list_amount: Decimal
    discount: Decimal
    net: Decimal
    tax: Decimal
    gross: Decimal


def price_line(
    *, quantity, unit_price, discount_percent=ZERO, tax_rate=ZERO, prices_include_tax=False
) -> LineAmounts:
    """The amounts of one line, each rounded to the currency's places (see the module)."""
    list_amount = round_money(quantity * unit_price)
    discounted = round_money(list_amount * (HUNDRED - discount_percent) / HUNDRED)
    if prices_include_tax:
        gross = discounted
        net = round_money(gross * HUNDRED / (HUNDRED + tax_rate))
        tax = gross - net
    else:
        net = discounted
        tax = round_money(net * tax_rate / HUNDRED)
        gross = net + tax
    return LineAmounts(list_amount, list_amount - discounted, net, tax, gross)


def taxes_by_rate(lines) -> list[tuple[Decimal, Decimal, Decimal]]:
    """``(rate, net, tax)`` per tax rate of ``lines``, lowest rate first; the 0 % rate is
    listed only when other rates are (a quote without tax shows no tax rows)."""
    net, tax = defaultdict(lambda: ZERO), defaultdict(lambda: ZERO)
    for line in lines:
        rate = line.tax_rate.normalize() if line.tax_rate else Decimal(0)
        net[rate] += line.net_amount
        tax[rate] += line.tax_amount
    if set(net) == {Decimal(0)}:
        return []
    return [(rate, net[rate], tax[rate]) for rate in sorted(net)]


def document_totals(lines, *, prices_include_tax: bool, total: Decimal | None = None) -> dict:
    """The figures under a quote's or an order's lines, each the sum of its lines' rounded
    figures: ``subtotal`` (at list price), ``net_total``, ``tax_total``, ``total``,
    ``discount_total`` and ``taxes`` (`taxes_by_rate`).

    ``total`` is the record's own when given (an order keeps its quote's), else net + tax.
    The discount is off the prices as entered: from the total when they include tax, from
    the net when they do not."""
    lines = list(lines)
    subtotal = sum((line.list_amount for line in lines), ZERO)
    net_total = sum((line.net_amount for line in lines), ZERO)
    tax_total = sum((line.tax_amount for line in lines), ZERO)
    if total is None:
        total = net_total + tax_total
    return {
        "subtotal": subtotal,
        "discount_total": subtotal - (total if prices_include_tax else net_total),
        "net_total": net_total,
        "tax_total": tax_total,
        "total": total,
        "taxes": taxes_by_rate(lines),
    }


class PricedLine(models.Model):
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    product = models.ForeignKey(
        "products.Product",
        verbose_name=_("product"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    # Database defaults on the fields added with the catalogue: rows written by bulk COPY
    # (bench) or before them stay valid.
    unit = models.CharField(_("unit"), max_length=20, blank=True, db_default="")
    unit_price = models.DecimalField(_("unit price"), **MONEY, validators=[MinValueValidator(0)])
    discount_percent = models.DecimalField(
        _("discount %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    # A line without a rate (every line before tax existed) has no tax.
    tax_rate = models.DecimalField(
        _("tax %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0.00"),
        db_default=Decimal("0.00"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    #: The product's cost per unit when the line was priced (managers only; None: unknown).
    cost_price = models.DecimalField(
        _("cost price"), **MONEY, null=True, blank=True, editable=False
    )
    net_amount = models.DecimalField(_("net"), **MONEY, default=ZERO, editable=False)
    tax_amount = models.DecimalField(
        _("tax"), **MONEY, default=ZERO, db_default=ZERO, editable=False
    )
    #: What the customer pays for the line: net + tax.
    line_total = models.DecimalField(_("line total"), **MONEY, default=ZERO, editable=False)

    #: The fields a line is made of, in the order people read them; copied quote -> order.
    PRICED_FIELDS = (
        "position",
        "product_id",
        "description",
        "quantity",
        "unit",
        "unit_price",
        "discount_percent",
        "tax_rate",
        "cost_price",
    )
    AMOUNT_FIELDS = ("net_amount", "tax_amount", "line_total")

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
            models.CheckConstraint(
                condition=models.Q(tax_rate__gte=0, tax_rate__lte=100),
                name="%(class)s_tax_rate_0_100",
            ),
        ]

    def __str__(self):
        return self.description

    def amounts(self, *, prices_include_tax=False) -> LineAmounts:
        return price_line(
            quantity=self.quantity,
            unit_price=self.unit_price,
            discount_percent=self.discount_percent,
            tax_rate=self.tax_rate or ZERO,
            prices_include_tax=prices_include_tax,
        )

    @property
    def list_amount(self) -> Decimal:
        return round_money(self.quantity * self.unit_price)

    def compute_total(self, *, prices_include_tax=False) -> Decimal:
        """Set the line's net, tax and total from its fields; returns the total."""
        amounts = self.amounts(prices_include_tax=prices_include_tax)
        self.net_amount, self.tax_amount = amounts.net, amounts.tax
        self.line_total = amounts.gross
        return self.line_total

    @property
    def cost_amount(self) -> Decimal | None:
        """What the line's goods cost (quantity × cost price), None when unknown."""
        if self.cost_price is None:
            return None
        return round_money(self.quantity * self.cost_price)

    @property
    def margin(self) -> Decimal | None:
        cost = self.cost_amount
        return None if cost is None else self.net_amount - cost

    @property
    def margin_percent(self) -> Decimal | None:
        return margin_percent(self.net_amount, self.cost_amount)

    def priced_values(self) -> dict:
        """The line's priced fields and amounts, to make a copy of it elsewhere."""
        return {name: getattr(self, name) for name in (*self.PRICED_FIELDS, *self.AMOUNT_FIELDS)}


#: A margin is shown within these bounds (a line given away at a cost is "−999.99 %").
MARGIN_FLOOR = Decimal("-999.99")


def margin_percent(net: Decimal, cost: Decimal | None) -> Decimal | None:
    """(net − cost) / net in percent, two places; None when the cost is unknown or there is
    nothing to compare (no net, no cost)."""
    if cost is None or (not net and not cost):
        return None
    if not net:
        return MARGIN_FLOOR
    percent = ((net - cost) * HUNDRED / net).quantize(Decimal("0.01"))
    return max(percent, MARGIN_FLOOR)
