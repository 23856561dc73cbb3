"""Cells read into domain values: amounts, percentages, e-mails, phones, web addresses, tags."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from imports.values import (
    clean_text,
    fold,
    parse_amount,
    parse_bool,
    parse_email,
    parse_percent,
    parse_phone,
    parse_tags,
    parse_text,
    parse_url,
)


def message_of(parse, value, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        parse(value, **kwargs)
    return " ".join(caught.value.messages)


@pytest.mark.parametrize(
    ("raw", "amount"),
    [
        ("1234.5", "1234.50"),
        ("1,234.50", "1234.50"),
        ("¥1,234.50", "1234.50"),
        ("￥1,234.50", "1234.50"),
        ("CNY 1,234.50", "1234.50"),
        ("cny1234.5", "1234.50"),
        ("RMB 1,234", "1234.00"),
        ("1,234.50 元", "1234.50"),
        ("１，２３４．５０", "1234.50"),  # typed with a Chinese input method's full width
        ("1 234.50", "1234.50"),
        ("1\u00a0234.50", "1234.50"),  # Excel's non-breaking thousands space
        ("1 234,50", "1234.50"),
        ("1.234,50", "1234.50"),
        ("12,5", "12.50"),
        ("1,234", "1234.00"),
        ("1,234,567", "1234567.00"),
        ("0", "0.00"),
        (".5", "0.50"),
        ("+100", "100.00"),
        (" 42 ", "42.00"),
        ("999,999,999,999.99", "999999999999.99"),
    ],
)
def test_amounts_written_the_ways_spreadsheets_hold_them(raw, amount):
    assert parse_amount(raw) == Decimal(amount)


@pytest.mark.parametrize(
    ("raw", "amount"),
    [(1234.5, "1234.50"), (0.1 + 0.2, "0.30"), (1234.565, "1234.57"), (7, "7.00")],
)
def test_number_cells_become_decimals_through_their_text(raw, amount):
    parsed = parse_amount(raw)
    assert parsed == Decimal(amount)
    assert isinstance(parsed, Decimal)


@pytest.mark.parametrize("raw", ["-1,234.50", "-¥1,234", "¥-1,234", "(1,234.50)", "−5", -3])
def test_negative_amounts_are_refused_unless_the_field_allows_them(raw):
    assert message_of(parse_amount, raw) == "The amount must be zero or more."
    assert parse_amount(raw, allow_negative=True) < 0


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("abc", "“abc” is not an amount."),
        ("12abc", "“12abc” is not an amount."),
        ("1,2345", "“1,2345” is not an amount."),
        ("1,23,456", "“1,23,456” is not an amount."),
        ("1.234.567", "“1.234.567” is not an amount."),
        ("- -5", "“- -5” is not an amount."),
        ("about 100", "“about 100” is not an amount."),
        ("1.234", "“1.234” has more than two decimals."),
        ("1,234.567", "“1,234.567” has more than two decimals."),
        ("$1,234.50", "“$1,234.50” is not an amount in CNY, the currency of this CRM."),
        ("USD 10", "“USD 10” is not an amount in CNY, the currency of this CRM."),
        ("10 €", "“10 €” is not an amount in CNY, the currency of this CRM."),
        ("1.23457E+11", "“1.23457E+11” is a number Excel shortened"),
        ("1,000,000,000,000", "is too large; amounts stay below 1,000,000,000,000."),
        (True, "“True” is not an amount."),
        (float("nan"), "“nan” is not an amount."),
    ],
)
def test_what_is_not_an_amount_is_refused_with_the_reason(raw, message):
    assert message in message_of(parse_amount, raw)


def test_the_installations_currency_decides_which_signs_are_accepted(settings):
    settings.CRM_CURRENCY = "USD"
    assert parse_amount("$1,234.50") == Decimal("1234.50")
    assert "not an amount in USD" in message_of(parse_amount, "¥1,234.50")


@pytest.mark.parametrize(
    ("raw", "percent"),
    [("75", 75), ("75%", 75), ("75 ％", 75), (75, 75), (0.75, 75), ("0.5", 50), (100, 100), (0, 0)],
)
def test_percentages(raw, percent):
    assert parse_percent(raw) == percent


@pytest.mark.parametrize("raw", ["101", "-5", "12.5", "0.5%", "high", True, 0.333])
def test_what_is_not_a_whole_percentage_is_refused(raw):
    assert "is not a whole percentage from 0 to 100" in message_of(parse_percent, raw)


@pytest.mark.parametrize(
    ("raw", "email"),
    [
        (" wang@example.com ", "wang@example.com"),
        ("Wang.Wei@Example.COM", "Wang.Wei@Example.COM"),
        ("wang＠example.com", "wang@example.com"),
        ("mailto:wang@example.com", "wang@example.com"),
        ("Wang Wei <wang@example.com>", "wang@example.com"),
        ("wang@例子.中国", "wang@例子.中国"),  # an internationalised domain
    ],
)
def test_email_addresses(raw, email):
    assert parse_email(raw) == email


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("wang@", "“wang@” is not a valid e-mail address."),
        ("wang example.com", "“wang example.com” is not a valid e-mail address."),
        ("a@x.com; b@y.com", "holds more than one e-mail address; keep one."),
    ],
)
def test_bad_email_addresses_are_refused(raw, message):
    assert message in message_of(parse_email, raw)


@pytest.mark.parametrize(
    ("raw", "phone"),
    [
        ("+86 138-0013-8000", "+86 138-0013-8000"),
        ("（010）6655 8899", "(010)6655 8899"),
        (13800138000, "13800138000"),
        (13800138000.0, "13800138000"),
        ("021-5555 0101 ext. 12", "021-5555 0101 ext. 12"),
    ],
)
def test_phone_numbers_keep_their_writing(raw, phone):
    assert parse_phone(raw) == phone


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("n/a", "“n/a” is not a phone number."),
        ("12", "“12” is not a phone number."),
        ("1.38001E+10", "is a phone number Excel shortened"),
        ("13800138000 / 13900139000", "holds more than one phone number; keep one."),
        ("13800138000、13900139000", "holds more than one phone number; keep one."),
        ("1" * 41, "at most 40 fit"),
    ],
)
def test_bad_phone_numbers_are_refused(raw, message):
    assert message in message_of(parse_phone, raw)


@pytest.mark.parametrize(
    ("raw", "url"),
    [
        ("www.example.com", "https://www.example.com"),
        ("example.cn/about", "https://example.cn/about"),
        ("http://example.com", "http://example.com"),
    ],
)
def test_web_addresses_get_a_scheme(raw, url):
    assert parse_url(raw) == url


def test_a_bad_web_address_is_refused():
    assert message_of(parse_url, "not a site") == "“not a site” is not a web address."
    assert message_of(parse_url, "ftp://example.com") == "“ftp://example.com” is not a web address."


@pytest.mark.parametrize(
    ("raw", "answer"),
    [
        ("yes", True),
        ("Y", True),
        ("TRUE", True),
        ("1", True),
        (1, True),
        ("是", True),
        ("ｙｅｓ", True),
        (True, True),
        ("no", False),
        ("False", False),
        ("0", False),
        (0, False),
        ("否", False),
    ],
)
def test_yes_and_no(raw, answer):
    assert parse_bool(raw) is answer


def test_neither_yes_nor_no_is_refused():
    assert message_of(parse_bool, "maybe") == "“maybe” is neither yes nor no."


def test_tags_are_split_trimmed_and_said_once():
    assert parse_tags("VIP, 政府；重点、 vip |Export\nnew  client") == [
        "VIP",
        "政府",
        "重点",
        "Export",
        "new client",
    ]


def test_a_tag_too_long_is_refused():
    assert "longer than 40 characters" in message_of(parse_tags, "x" * 41)


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("  ACME  ", "ACME"),
        ("line\r\nnext", "line\nnext"),
        (12345.0, "12345"),
        (1.5, "1.5"),
        (True, "TRUE"),
    ],
)
def test_cells_as_text(raw, text):
    assert clean_text(raw) == text


def test_text_longer_than_the_field_is_refused():
    assert parse_text("abc", max_length=3) == "abc"
    assert message_of(parse_text, "abcd", max_length=3) == (
        "The text is 4 characters long; at most 3 fit."
    )


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Cold call", "cold_call"),
        ("ＣＯＬＤ－ＣＡＬＬ", "coldcall"),
        ("A · key account", "a key-account"),
    ],
)
def test_fold_ignores_case_width_spaces_and_punctuation(one, other):
    assert fold(one) == fold(other)
