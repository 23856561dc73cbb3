from functools import cache

from django import template
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import date, floatformat
from django.template.defaulttags import querystring
from django.utils.encoding import force_str
from django.utils.formats import localize, number_format
from django.utils.hashable import make_hashable
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, gettext

from crm.roles import is_manager as _is_manager

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_header(context, key, label):
    """A column header that sorts by ``key``, and reverses when clicked again.

    Built in Python (it was an inclusion template): a list has up to eight of them.
    """
    current = context.get("current_sort", "")
    active = current.lstrip("-") == key
    descending = active and current.startswith("-")
    next_sort = key if descending or not active else f"-{key}"
    href = conditional_escape(querystring(context, sort=next_sort, page=None))
    arrow = ""
    if active:
        icon, state = (
            ("bi-caret-down-fill", gettext("sorted descending"))
            if descending
            else ("bi-caret-up-fill", gettext("sorted ascending"))
        )
        arrow = f' <i class="bi {icon}" aria-label="{conditional_escape(state)}"></i>'
    return mark_safe(
        f'<a class="sort-header text-reset text-decoration-none" href="{href}">'
        f"{conditional_escape(label)}{arrow}</a>"
    )


@register.filter
def money(amount):
    """An amount with its currency, grouped by the active locale."""
    if amount is None:
        return ""
    return f"{settings.CRM_CURRENCY} {number_format(amount, 2, force_grouping=True)}"


@register.filter
def list_count(paginator):
    """A list's row count, shown honestly when it was capped: "10,000+"."""
    text = intcomma(paginator.count)
    return f"{text}+" if getattr(paginator, "is_capped", False) else text


@register.filter
def choice_label(record, field_name):
    """``record.get_<field_name>_display()``, looked up in the field's labels translated once
    per language (Django rebuilds and translates every label of the field on each call, which
    a list page does for each of its rows)."""
    field = record._meta.get_field(field_name)
    value = make_hashable(getattr(record, field.attname))
    return force_str(_choice_labels(field, get_language()).get(value, value), strings_only=True)


@cache
def _choice_labels(field, language) -> dict:
    """A model field's (fixed) choices as {value: label in ``language``}."""
    return {value: force_str(label) for value, label in make_hashable(field.flatchoices)}


@register.filter
def is_manager(user):
    return _is_manager(user)


@register.filter
def report_cell(cell):
    """A dashboard report cell's value, formatted by its kind (``crm.dashboard.tables.Cell``).

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
