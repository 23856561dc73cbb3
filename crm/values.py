"""Reading loosely typed input (API keywords, query strings) into domain values."""

from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def to_date(value, *, field: str) -> date | None:
    """A ``date``, an ISO ``YYYY-MM-DD`` string, or None/"" for no date.

    A ``datetime`` gives its (local) date: it is a ``date`` subclass, but comparing it with a
    date raises TypeError.
    """
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(
            {field: _("Enter a date as YYYY-MM-DD, not %(value)r.") % {"value": value}}
        ) from None


def to_datetime(value, *, field: str) -> datetime | None:
    """An aware ``datetime``: from a datetime, a date (its local midnight) or an ISO string.

    None/"" is no value. A naive value is read in the current time zone.
    """
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time.min)
    else:
        try:
            moment = datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationError(
                {
                    field: _("Enter a date and time as YYYY-MM-DD HH:MM, not %(value)r.")
                    % {"value": value}
                }
            ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


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
