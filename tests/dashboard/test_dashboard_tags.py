"""The dashboard's report filters must show exactly what the template code they replaced showed."""

from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import gettext_lazy

from dashboard.tables import COUNT, DATE, MONEY, PERCENT, Cell, Column, Table
from dashboard.templatetags.dashboard_tags import report_cell

LANGUAGES = ["en", "zh-hans"]


# The template partial the dashboard's report tables used before ``report_cell``.
CELL_PARTIAL = Template(
    "{% load i18n crm_tags dashboard_tags %}"
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


# The rows of dashboard/_report_table.html before ``report_cells``.
ROWS_BEFORE = Template(
    "{% load dashboard_tags %}{% for row in table.body %}"
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
    "{% load dashboard_tags %}{% for row in table.body %}<tr>{{ row|report_cells }}</tr>{% endfor %}"
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
