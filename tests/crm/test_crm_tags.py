"""Template filters that replace slower template code must show exactly what it showed."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.template import Context, Template
from django.urls import get_script_prefix, set_script_prefix
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from crm.dashboard.tables import COUNT, DATE, MONEY, PERCENT, Cell, Column, Table
from crm.templatetags.crm_tags import choice_label, record_url, report_cell
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


# The template partial the dashboard's report tables used before ``report_cell``.
CELL_PARTIAL = Template(
    "{% load i18n crm_tags %}"
    "{% if cell.value is None %}{% if cell.is_numeric %}"
    '<span class="text-body-secondary" title="{% translate \'Nothing to compute\' %}">—</span>'
    '{% endif %}{% elif cell.kind == "money" %}{{ cell.value|money }}'
    '{% elif cell.kind == "percent" %}{{ cell.value|floatformat:1 }} %'
    '{% elif cell.kind == "days" %}{{ cell.value|floatformat:1 }}'
    '{% elif cell.kind == "month" %}{{ cell.value|date:"Y-m" }}'
    '{% elif cell.kind == "date" %}{{ cell.value|date:"Y-m-d" }}'
    "{% else %}{{ cell.value }}{% endif %}"
)

CELLS = [
    Cell(None, "money"),
    Cell(None, "count"),
    Cell(None, "text"),
    Cell(Decimal("1234567.5"), "money"),
    Cell(Decimal("-0.004"), "money"),
    Cell(12.345, "percent"),
    Cell(Decimal("0"), "percent"),
    Cell(Decimal("3.25"), "days"),
    Cell(7, "days"),
    Cell(date(2025, 3, 1), "month"),
    Cell(date(2025, 3, 1), "date"),
    Cell(1234567, "count"),
    Cell(0, "count"),
    Cell("Tom & <Jerry>", "text", url="/customers/?owner=1"),
    Cell(gettext_lazy("Total"), "text"),
    Cell(gettext_lazy("This month"), "text"),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("cell", CELLS, ids=lambda cell: f"{cell.kind}-{cell.value!r}")
def test_report_cell_shows_what_the_template_showed(cell, language):
    with translation.override(language):
        assert report_cell(cell) == CELL_PARTIAL.render(Context({"cell": cell}))


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


# The rows of crm/_report_table.html before ``report_cells``.
ROWS_BEFORE = Template(
    "{% load crm_tags %}{% for row in table.body %}"
    '<tr>{% for cell in row %}{% if forloop.first %}<th scope="row" class="fw-normal text-nowrap">'
    '{% if cell.url %}<a href="{{ cell.url }}">{{ cell|report_cell }}</a>{% else %}'
    "{{ cell|report_cell }}{% endif %}</th>{% else %}"
    '<td class="text-nowrap{% if cell.is_numeric %} text-end{% endif %}'
    '{% if cell.wide_only %} d-none d-md-table-cell{% endif %}">{{ cell|report_cell }}</td>'
    "{% endif %}{% endfor %}</tr>{% endfor %}"
    '<tr class="fw-semibold">{% for cell in table.footer %}{% if forloop.first %}'
    '<th scope="row" class="text-nowrap">{{ cell|report_cell }}</th>{% else %}'
    '<td class="text-nowrap{% if cell.is_numeric %} text-end{% endif %}'
    '{% if cell.wide_only %} d-none d-md-table-cell{% endif %}">{{ cell|report_cell }}</td>'
    "{% endif %}{% endfor %}</tr>"
)
ROWS_NOW = Template(
    "{% load crm_tags %}{% for row in table.body %}<tr>{{ row|report_cells }}</tr>{% endfor %}"
    '<tr class="fw-semibold">{{ table.footer|report_cells:"footer" }}</tr>'
)


@pytest.mark.parametrize("language", LANGUAGES)
def test_report_rows_show_what_the_template_showed(language):
    table = Table(
        columns=[
            Column("label", "Stage"),
            Column("count", "Deals", COUNT),
            Column("amount", "Amount", MONEY),
            Column("share", "Share", PERCENT),
            Column("start", "From", DATE, wide_only=True),
        ],
        rows=[
            {
                "label": gettext_lazy("Won"),
                "count": 3,
                "amount": Decimal("10.5"),
                "share": 12.5,
                "start": date(2025, 1, 1),
                "url": "/opportunities/?stage=won&owner=2",
            },
            {"label": "<Lost & gone>", "count": 0, "amount": None, "share": None, "start": None},
            {"label": "Change", "count": 1, "amount": 50, "share": 1, "kind": PERCENT},
        ],
        totals={"count": 4, "amount": Decimal("60.5"), "share": None},
    )
    with translation.override(language):
        context = Context({"table": table})
        assert ROWS_NOW.render(context) == ROWS_BEFORE.render(context)
