"""Template filters of the dashboard's report tables (``dashboard.tables.Cell``)."""

from django import template
from django.template.defaultfilters import date, floatformat
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

from crm.templatetags.crm_tags import money

register = template.Library()


@register.filter
def report_cells(cells, part="body"):
    """A dashboard report row's cells (``dashboard.tables.Cell``): the first is the row's
    header (linked to its records in the body), the others right-aligned when numeric and
    left out on a phone when wide-only. ``part`` is "body" or "footer" (the totals row).

    Built in Python: the manager's dashboard has several hundred cells.
    """
    html = []
    for position, cell in enumerate(cells):
        content = report_cell(cell)
        if position == 0:
            if part == "body":
                if cell.url:
                    content = f'<a href="{conditional_escape(cell.url)}">{content}</a>'
                html.append(f'<th scope="row" class="fw-normal text-nowrap">{content}</th>')
            else:
                html.append(f'<th scope="row" class="text-nowrap">{content}</th>')
        else:
            numeric = " text-end" if cell.is_numeric else ""
            wide_only = " d-none d-md-table-cell" if cell.wide_only else ""
            html.append(f'<td class="text-nowrap{numeric}{wide_only}">{content}</td>')
    return mark_safe("".join(html))


@register.filter
def report_cell(cell):
    """A dashboard report cell's value, formatted by its kind (``dashboard.tables.Cell``).

    One Python call instead of a template partial of chained conditions: the manager's
    dashboard has several hundred cells.
    """
    value, kind = cell.value, cell.kind
    if value is None:
        if not cell.is_numeric:
            return ""
        title = conditional_escape(gettext("Nothing to compute"))
        return mark_safe(f'<span class="text-body-secondary" title="{title}">—</span>')
    if kind == "money":
        text = money(value)
    elif kind == "percent":
        text = f"{floatformat(value, '1')} %"
    elif kind == "days":
        text = floatformat(value, "1")
    elif kind == "month":
        text = date(template_localtime(value), "Y-m")
    elif kind == "date":
        text = date(template_localtime(value), "Y-m-d")
    else:
        # As ``{{ value }}`` renders it.
        text = localize(template_localtime(value))
        text = text if isinstance(text, str) else str(text)
    return conditional_escape(text)
