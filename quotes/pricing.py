"""A quote's lines from what a person or the API gives, and the quote's totals from its lines.

quotes.services calls these inside its transactions: `build_lines` validates and prices
(nothing saved), `set_lines` replaces the lines and brings the quote's figures in step.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from products.models import Product
from quotes.lines import document_totals, margin_percent
from quotes.models import Quote, QuoteLine

# Amounts are stored with 14 digits, 2 of them after the point.
MONEY_LIMIT = Decimal("1000000000000")
LINE_FIELDS = (
    "product",
    "description",
    "quantity",
    "unit",
    "unit_price",
    "discount_percent",
    "tax_rate",
)
#: The quote's figures that are sums over its lines (quotes.lines.document_totals).
TOTAL_FIELDS = ("subtotal", "net_total", "tax_total", "total", "discount_total")
#: What a line copies from its product when the caller leaves it out.
PRODUCT_DEFAULTS = {
    "description": "name",
    "unit": "unit",
    "unit_price": "list_price",
    "tax_rate": "tax_rate",
}


def _product_id(product) -> int | None:
    """The id a line's ``product`` names (a Product, an id, its text), None for none."""
    if product in (None, ""):
        return None
    try:
        return int(getattr(product, "pk", product))
    except (TypeError, ValueError):
        raise ValidationError({"lines": _("A line names a product that does not exist.")}) from None


def _products_of(lines) -> dict:
    """The products the lines name ({pk: Product}), in one query; an unknown one refused."""
    wanted = {_product_id(values.get("product")) for values in lines} - {None}
    found = Product.objects.in_bulk(wanted) if wanted else {}
    if len(found) != len(wanted):
        raise ValidationError({"lines": _("A line names a product that does not exist.")})
    return found


def build_lines(lines, *, prices_include_tax: bool) -> list[QuoteLine]:
    """Validated, unsaved lines from dicts (or objects with the line fields).

    A line naming a product takes the product's name, unit, list price and tax rate for
    those it leaves out, and always its cost price (never from the caller): copies, so a
    later change in the catalogue changes no quote."""
    rows = []
    for raw in lines or ():
        values = raw if isinstance(raw, dict) else {f: getattr(raw, f) for f in LINE_FIELDS}
        unknown = set(values) - set(LINE_FIELDS)
        if unknown:
            raise ValidationError(
                {
                    "lines": _("Unknown line fields: %(fields)s")
                    % {"fields": ", ".join(sorted(unknown))}
                }
            )
        rows.append(dict(values))
    products = _products_of(rows)
    built, errors = [], []
    for position, values in enumerate(rows, start=1):
        product_id = _product_id(values.pop("product", None))
        product = products[product_id] if product_id is not None else None
        if product is not None:
            for name, source in PRODUCT_DEFAULTS.items():
                if values.get(name) in (None, ""):
                    values[name] = getattr(product, source)
        values = {name: value for name, value in values.items() if value is not None}
        line = QuoteLine(
            position=position,
            product=product,
            cost_price=product.cost_price if product is not None else None,
            **{"discount_percent": Decimal("0"), "tax_rate": Decimal("0"), **values},
        )
        try:
            line.full_clean(exclude=["quote"])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.append(
                    _("Line %(n)d, %(field)s: %(message)s")
                    % {"n": position, "field": field, "message": " ".join(messages)}
                )
            continue
        if line.list_amount >= MONEY_LIMIT:
            errors.append(_("Line %(n)d: the amount is too large.") % {"n": position})
            continue
        if line.compute_total(prices_include_tax=prices_include_tax) >= MONEY_LIMIT:
            errors.append(_("Line %(n)d: the amount is too large.") % {"n": position})
            continue
        built.append(line)
    if (
        sum((line.list_amount for line in built), Decimal("0")) >= MONEY_LIMIT
        or sum((line.line_total for line in built), Decimal("0")) >= MONEY_LIMIT
    ):
        errors.append(_("The quote's total is too large."))
    if errors:
        raise ValidationError({"lines": errors})
    return built


def set_lines(quote: Quote, lines: list[QuoteLine]) -> None:
    """Replace the quote's lines and bring its totals in step (Decimal all the way): each
    figure of the quote is the sum of its lines' rounded figures."""
    quote.lines.all().delete()
    for line in lines:
        line.quote = quote
    QuoteLine.objects.bulk_create(lines)
    totals = document_totals(lines, prices_include_tax=quote.prices_include_tax)
    for name in TOTAL_FIELDS:
        setattr(quote, name, totals[name])
    zero = Decimal("0.00")
    costed = [line for line in lines if line.cost_price is not None]
    if costed:
        costed_net = sum((line.net_amount for line in costed), zero)
        cost = sum((line.cost_amount for line in costed), zero)
        quote.margin = costed_net - cost
        quote.margin_percent = margin_percent(costed_net, cost)
    else:
        quote.margin = quote.margin_percent = None
    quote.save(update_fields=[*TOTAL_FIELDS, "margin", "margin_percent", "updated_at"])
