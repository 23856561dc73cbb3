"""Reading one cell of an imported file into a domain value.

Each ``parse_*`` function takes a non-empty raw cell (text from a CSV; text, number, bool
or datetime from an .xlsx) and returns the value to store, or raises ValidationError with a
message the importing user can act on. Empty cells never reach them: an empty cell means
"no value" and is left out before (`imports.fields.convert_row`).

Decisions, for what spreadsheets leave ambiguous:

- Amounts: "." is the decimal point and "," or a space groups thousands (1,234.50;
  1 234.50); a comma followed by one or two final digits is a decimal comma (1.234,50;
  1 234,50; 12,5). The installation's currency may stand before or after the number
  (¥1,234.50, ￥1,234.50, CNY 1,234.50, 1234.50元), another currency is refused. Text with
  more than two decimals is refused (1.234 could mean 1234); a number cell of an .xlsx is
  rounded half-up to the cent (formulas leave 1234.5678). Excel's shortened "1.2E+11" is
  refused: its digits are lost.
- Dates: see `imports.dates`.
- Percentages: 75, "75%", and a fraction 0 < x < 1 (a percent-formatted cell holds 0.75).
"""

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _

from crm.money import MONEY, to_cents
from customers.querysets import normalize_phone
from imports.dates import excel_serial, parse_date, parse_datetime
from imports.lookups import ChoiceReader, OwnerLookup, parse_owner
from imports.text import clean_text, fold, parse_text

__all__ = [
    "ChoiceReader",
    "OwnerLookup",
    "clean_text",
    "excel_serial",
    "fold",
    "parse_amount",
    "parse_bool",
    "parse_date",
    "parse_datetime",
    "parse_email",
    "parse_owner",
    "parse_percent",
    "parse_phone",
    "parse_rate",
    "parse_tags",
    "parse_text",
    "parse_url",
]

#: Largest amount a money field holds (14 digits, 2 of them decimals), plus a cent.
MAX_AMOUNT = Decimal(10) ** (MONEY["max_digits"] - MONEY["decimal_places"])
#: Signs and words that say "in this currency", by ISO code; the code itself always does.
CURRENCY_MARKS = {
    "CNY": ("¥", "RMB", "元", "人民币"),
    "USD": ("$", "US$"),
    "EUR": ("€",),
    "GBP": ("£",),
    "JPY": ("¥", "円"),
    "HKD": ("HK$", "$"),
}
TAG_SEPARATORS = re.compile(r"[,;|\n、]")
TAG_MAX_LENGTH = 40
BOOLEANS = {
    **dict.fromkeys(("yes", "y", "true", "t", "1", "是", "对", "有", "✓", "√"), True),
    **dict.fromkeys(("no", "n", "false", "f", "0", "否", "不", "无", "没有", "✗", "×"), False),
}


def parse_amount(value, *, allow_negative: bool = False) -> Decimal:
    """An amount of money in the installation's currency, rounded to the cent."""
    if isinstance(value, bool):
        raise ValidationError(_("“%(value)s” is not an amount.") % {"value": value})
    if isinstance(value, int | Decimal):
        amount = Decimal(value)
    elif isinstance(value, float):
        # The shortest text that reads back as the same float: 1234.5, not 1234.4999...
        amount = Decimal(repr(value))
    else:
        amount = _amount_from_text(clean_text(value))
    if not amount.is_finite():
        raise ValidationError(_("“%(value)s” is not an amount.") % {"value": value})
    amount = to_cents(amount)
    if amount < 0 and not allow_negative:
        raise ValidationError(_("The amount must be zero or more."))
    if abs(amount) >= MAX_AMOUNT:
        raise ValidationError(
            _("The amount %(value)s is too large; amounts stay below %(limit)s.")
            % {"value": value, "limit": f"{MAX_AMOUNT:,}"}
        )
    return amount


_GROUPED = re.compile(r"\d{1,3}(?P<sep>[, .])\d{3}(?:(?P=sep)\d{3})*")
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:\.\d+)?e[+-]?\d+", re.IGNORECASE)
_AMOUNT = re.compile(
    r"(?P<sign>[+-]?)\s*(?P<before>[^\d\s+\-.,]*)\s*(?P<inner_sign>[+-]?)\s*"
    r"(?P<number>[\d.,][\d.,\s]*?)\s*(?P<after>[^\d\s.,]*)"
)


def _amount_from_text(text: str) -> Decimal:
    not_an_amount = ValidationError(_("“%(value)s” is not an amount.") % {"value": text})
    if len(text) > 60:  # no amount is this long; the patterns below need not see it
        raise not_an_amount
    number = unicodedata.normalize("NFKC", text).replace("−", "-").strip()
    if _SCIENTIFIC.fullmatch(number):
        raise ValidationError(
            _(
                "“%(value)s” is a number Excel shortened, and its digits are lost. Format the "
                "column as a number in Excel and save the file again."
            )
            % {"value": text}
        )
    negative = number.startswith("(") and number.endswith(")")  # accounting: (1,234.50)
    match = _AMOUNT.fullmatch(number[1:-1].strip() if negative else number)
    if match is None or (match["sign"] and match["inner_sign"]):
        raise not_an_amount
    for mark in (match["before"], match["after"]):
        _check_currency(mark, text)
    negative = negative or "-" in (match["sign"], match["inner_sign"])
    integer, decimals = _split_decimals(" ".join(match["number"].split()))
    if not integer.isdigit() or (decimals and not decimals.isdigit()):
        raise not_an_amount
    if len(decimals) > 2:
        raise ValidationError(_("“%(value)s” has more than two decimals.") % {"value": text})
    amount = Decimal(f"{integer}.{decimals or 0}")
    return -amount if negative else amount


def _check_currency(mark: str, original: str) -> None:
    """Only the installation's currency may stand next to an amount."""
    if not mark:
        return
    currency = settings.CRM_CURRENCY.upper()
    if fold(mark) in {fold(mark) for mark in (currency, *CURRENCY_MARKS.get(currency, ()))}:
        return
    known = {fold(mark) for marks in CURRENCY_MARKS.values() for mark in marks}
    if fold(mark) in known or re.fullmatch(r"[A-Z]{3}", mark):
        raise ValidationError(
            _("“%(value)s” is not an amount in %(currency)s, the currency of this CRM.")
            % {"value": original, "currency": currency}
        )
    raise ValidationError(_("“%(value)s” is not an amount.") % {"value": original})


def _split_decimals(number: str) -> tuple[str, str]:
    """(integer digits, decimal digits) of a number that may group its thousands."""
    decimal_comma = re.fullmatch(r"(?P<integer>[\d. ]*),(?P<decimals>\d{1,2})", number)
    if decimal_comma:
        integer, decimals, separators = decimal_comma["integer"], decimal_comma["decimals"], ". "
    else:
        integer, _point, decimals = number.partition(".")
        separators = ", "
    if any(separator in integer for separator in separators):
        grouped = _GROUPED.fullmatch(integer)
        if grouped is None or grouped["sep"] not in separators:
            return "", ""
        integer = re.sub(r"\D", "", integer)
    return integer or "0", decimals


def parse_percent(value) -> int:
    """A whole percentage from 0 to 100: 75, "75%", or the fraction 0.75."""
    wrong = ValidationError(
        _("“%(value)s” is not a whole percentage from 0 to 100.") % {"value": value}
    )
    number = _percentage(value, wrong)
    if number != number.to_integral_value():
        raise wrong
    return int(number)


def _percentage(value, wrong: ValidationError) -> Decimal:
    """``value`` read as a percentage from 0 to 100: "75", "75%" (full-width too), or a
    fraction below 1 without a percent sign (a cell formatted as percent: 0.75); else
    ``wrong``."""
    if isinstance(value, bool):
        raise wrong
    text = unicodedata.normalize("NFKC", clean_text(value)).rstrip("%").strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise wrong from None
    if 0 < number < 1 and not clean_text(value).endswith(("%", "％")):
        number *= 100
    if not number.is_finite() or not 0 <= number <= 100:
        raise wrong
    return number


def parse_email(value) -> str:
    text = unicodedata.normalize("NFKC", clean_text(value))
    if text.lower().startswith("mailto:"):
        text = text[7:]
    if "<" in text:  # "Wang Wei <wang@example.com>"
        text = parseaddr(text)[1] or text
    if len(re.findall(r"@", text)) > 1:
        raise ValidationError(
            _("“%(value)s” holds more than one e-mail address; keep one.") % {"value": value}
        )
    try:
        EmailValidator()(text)
    except ValidationError:
        raise ValidationError(
            _("“%(value)s” is not a valid e-mail address.") % {"value": value}
        ) from None
    return text


def parse_phone(value) -> str:
    """The number as written (phones keep their spaces and dashes); it needs a few digits.

    Duplicates compare the digits only (`customers.querysets.normalize_phone`)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", clean_text(value))
    if _SCIENTIFIC.fullmatch(text):
        raise ValidationError(
            _(
                "“%(value)s” is a phone number Excel shortened, and its digits are lost. "
                "Format the column as text in Excel and save the file again."
            )
            % {"value": value}
        )
    if sum(len(normalize_phone(part)) >= 7 for part in re.split(r"[,;/|、\n]", text)) > 1:
        raise ValidationError(
            _("“%(value)s” holds more than one phone number; keep one.") % {"value": value}
        )
    if len(normalize_phone(text)) < 3:
        raise ValidationError(_("“%(value)s” is not a phone number.") % {"value": value})
    return parse_text(text, max_length=40)


def parse_url(value) -> str:
    """A web address; "www.example.com" gets its "https://"."""
    text = unicodedata.normalize("NFKC", clean_text(value))
    if not re.match(r"[a-z][a-z0-9+.-]*://", text, re.IGNORECASE):
        text = f"https://{text}"
    try:
        URLValidator(schemes=["http", "https"])(text)
    except ValidationError:
        raise ValidationError(_("“%(value)s” is not a web address.") % {"value": value}) from None
    return parse_text(text, max_length=200)


def parse_rate(value) -> Decimal:
    """A percentage from 0 to 100 with up to two decimals (a tax rate): 13, "13%", "6.5%",
    or the fraction 0.13 (a percent-formatted cell)."""
    wrong = ValidationError(_("“%(value)s” is not a percentage from 0 to 100.") % {"value": value})
    number = _percentage(value, wrong)
    rounded = number.quantize(Decimal("0.01"))
    if rounded != number and isinstance(value, str):
        raise wrong
    return rounded


def parse_bool(value) -> bool:
    """Yes or no: yes/no, true/false, 1/0, 是/否 (any case, full-width too)."""
    if isinstance(value, bool):
        return value
    answer = BOOLEANS.get(fold(clean_text(value)))
    if answer is None:
        raise ValidationError(_("“%(value)s” is neither yes nor no.") % {"value": value})
    return answer


def parse_tags(value) -> list[str]:
    """Tag names separated by commas, semicolons, "、" or line breaks; each said once."""
    text = unicodedata.normalize("NFKC", clean_text(value))
    tags, seen = [], set()
    for name in (" ".join(part.split()) for part in TAG_SEPARATORS.split(text)):
        if not name or name.casefold() in seen:
            continue
        if len(name) > TAG_MAX_LENGTH:
            raise ValidationError(
                _("The tag “%(tag)s” is longer than %(limit)s characters.")
                % {"tag": name, "limit": TAG_MAX_LENGTH}
            )
        seen.add(name.casefold())
        tags.append(name)
    return tags
