"""Reading loosely typed input (API keywords, query strings) into domain values."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def to_date(value, *, field: str) -> date | None:
    """A ``date``, an ISO ``YYYY-MM-DD`` string, or None/"" for no date."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(
            {field: _("Enter a date as YYYY-MM-DD, not %(value)r.") % {"value": value}}
        ) from None


def to_money(value, *, field: str) -> Decimal:
    """A non-negative amount with two decimals; floats go through their text form."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError(
            {field: _("Enter an amount, not %(value)r.") % {"value": value}}
        ) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError({field: _("The amount must be zero or more.")})
    return amount.quantize(Decimal("0.01"))
