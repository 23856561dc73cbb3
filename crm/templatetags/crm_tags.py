from django import template
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import number_format

from crm.roles import is_manager as _is_manager

register = template.Library()


@register.inclusion_tag("includes/sort_header.html", takes_context=True)
def sort_header(context, key, label):
    """A column header that sorts by ``key``, and reverses when clicked again."""
    current = context.get("current_sort", "")
    active = current.lstrip("-") == key
    descending = active and current.startswith("-")
    return {
        "request": context["request"],
        "label": label,
        "next_sort": key if descending or not active else f"-{key}",
        "active": active,
        "descending": descending,
    }


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
def is_manager(user):
    return _is_manager(user)
