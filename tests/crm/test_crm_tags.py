"""Template filters that replace slower template code must show exactly what it showed."""

from datetime import UTC, date, datetime

import pytest
from django.apps import apps
from django.template import Context, Template
from django.urls import get_script_prefix, set_script_prefix
from django.utils import timezone, translation

from crm.templatetags.crm_tags import choice_label, record_url
from tests.factories import CommunicationFactory, OrderFactory

OUR_APPS = ("customers", "opportunities", "communications", "quotes", "orders")
LANGUAGES = ["en", "zh-hans"]


def choice_fields():
    for app_label in OUR_APPS:
        for model in apps.get_app_config(app_label).get_models():
            for field in model._meta.concrete_fields:
                if field.choices:
                    yield pytest.param(model, field, id=f"{model.__name__}.{field.name}")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("model", "field"), list(choice_fields()))
def test_choice_label_is_the_fields_display_value(model, field, language):
    values = [value for value, _label in field.flatchoices] + ["", "not-a-choice"]
    with translation.override(language):
        for value in values:
            record = model(**{field.attname: value})
            display = getattr(record, f"get_{field.name}_display")()
            assert choice_label(record, field.name) == display, value


def test_sort_header_links_to_the_other_direction_and_keeps_the_filters(sales_client, customer):
    html = sales_client.get("/customers/", {"status": "lead", "sort": "name", "page": 2}).content

    assert (
        b'<a class="sort-header text-reset text-decoration-none" href="?status=lead&amp;sort=-name">'
        b'Name <i class="bi bi-caret-up-fill" aria-label="sorted ascending"></i></a>'
    ) in html
    assert (
        b'<a class="sort-header text-reset text-decoration-none" href="?status=lead&amp;sort=status">'
        b"Status</a>"
    ) in html


def test_sort_header_says_its_direction_in_the_users_language(sales_client, customer):
    response = sales_client.get(
        "/customers/", {"sort": "-name"}, headers={"accept-language": "zh-hans"}
    )

    assert (
        '<a class="sort-header text-reset text-decoration-none" href="?sort=name">'
        '名称 <i class="bi bi-caret-down-fill" aria-label="降序"></i></a>'
    ) in response.content.decode()


def detail_records():
    """A saved record of every model with a detail page, built with its real fields."""
    order = OrderFactory()
    quote = order.quote
    communication = CommunicationFactory(customer=quote.customer, opportunity=quote.opportunity)
    return [order, quote, quote.customer, quote.opportunity, communication]


@pytest.mark.django_db
@pytest.mark.parametrize("script_prefix", ["/", "/crm/"])
def test_record_url_is_the_records_own_url(script_prefix):
    previous = get_script_prefix()
    set_script_prefix(script_prefix)
    try:
        for record in detail_records():
            assert record_url(record) == record.get_absolute_url(), type(record).__name__
    finally:
        set_script_prefix(previous)


def test_record_url_of_no_record_is_empty():
    assert record_url(None) == ""


DATES = [
    date(2025, 3, 1),
    date(5, 1, 2),
    datetime(2025, 12, 31, 16, 30, tzinfo=UTC),  # already the next day in Shanghai
    datetime(2025, 6, 1, 0, 5, tzinfo=UTC),
    None,
    "",
]


@pytest.mark.parametrize("time_zone", ["Asia/Shanghai", "UTC"])
@pytest.mark.parametrize("value", DATES, ids=repr)
def test_iso_dates_show_what_the_date_filter_showed(value, time_zone):
    context = Context({"value": value})
    with timezone.override(time_zone):
        assert Template("{% load crm_tags %}{{ value|iso_date }}").render(context) == Template(
            '{{ value|date:"Y-m-d" }}'
        ).render(context)
        if type(value) is not date:  # a day has no time to show
            assert Template("{% load crm_tags %}{{ value|iso_minute }}").render(
                context
            ) == Template('{{ value|date:"Y-m-d H:i" }}').render(context)
