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
