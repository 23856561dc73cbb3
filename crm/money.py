"""Money as every app stores and rounds it: ``Decimal`` with two places, half-up.

One currency per installation (``settings.CRM_CURRENCY``); amounts are never floats.
"""

from decimal import ROUND_HALF_UP, Decimal

#: Keyword arguments of every money ``DecimalField``: up to 999,999,999,999.99.
MONEY = {"max_digits": 14, "decimal_places": 2}
CENT = Decimal("0.01")
# Commercial rounding (四舍五入): half a cent rounds up, as on an invoice, not to even.
ROUNDING = ROUND_HALF_UP


def to_cents(amount: Decimal) -> Decimal:
    """``amount`` rounded to the cent (0.005 -> 0.01)."""
    return amount.quantize(CENT, rounding=ROUNDING)


#: Decimal places of the currencies whose smallest unit is not the cent (ISO 4217); amounts
#: are still stored with two places, rounded to these.
CURRENCY_PLACES = {"JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0, "TWD": 2}


def currency_places(currency: str | None = None) -> int:
    """How many decimal places the installation's currency (or ``currency``) is counted in."""
    from django.conf import settings

    return CURRENCY_PLACES.get((currency or settings.CRM_CURRENCY).upper(), 2)


def round_money(amount: Decimal, places: int | None = None) -> Decimal:
    """``amount`` rounded half-up to the currency's places, with two places as stored
    (1234.5 yen -> 1235.00; 0.005 yuan -> 0.01)."""
    places = currency_places() if places is None else places
    return amount.quantize(Decimal(1).scaleb(-places), rounding=ROUNDING).quantize(CENT)


def format_money(amount: Decimal | None) -> str:
    """``amount`` with the installation's currency, grouped as the active language writes
    numbers ("CNY 242,737.00"): the pages' ``money`` filter and the e-mails show the same."""
    from django.conf import settings
    from django.utils.formats import number_format

    if amount is None:
        return ""
    return f"{settings.CRM_CURRENCY} {number_format(amount, 2, force_grouping=True)}"
