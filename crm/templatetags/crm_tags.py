from datetime import date as date_type
from datetime import datetime
from functools import cache, lru_cache

from django import template
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import date
from django.template.defaulttags import querystring
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from crm.money import format_money
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
    return format_money(amount)


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
def record_url(record):
    """``record.get_absolute_url()``, without a ``reverse()`` for each row of a list.

    When a model's URL depends on its primary key alone (every detail page of the product
    does), the URL is built once with a stand-in key, per URL configuration, script prefix
    and language, and each record's key takes the stand-in's place. Any other URL is asked
    of the record itself. No record (an empty relation) has no URL, as
    ``{{ record.get_absolute_url }}`` showed none.
    """
    if record is None:
        return ""
    pk = record.pk
    if type(pk) is int and pk >= 0:
        around = _url_around_pk(
            type(record),
            get_urlconf() or settings.ROOT_URLCONF,
            get_script_prefix(),
            get_language(),
        )
        if around is not None:
            return f"{around[0]}{pk}{around[1]}"
    return record.get_absolute_url()


_STAND_IN_PKS = (918273645, 546372819)


@lru_cache(maxsize=256)
def _url_around_pk(model, urlconf, script_prefix, language) -> tuple[str, str] | None:
    """What comes before and after the primary key in ``model``'s URLs, when they depend on
    that key alone (two stand-in keys give the same URL around them); else None."""
    urls = []
    for pk in _STAND_IN_PKS:
        try:
            urls.append(model(pk=pk).get_absolute_url())
        except Exception:  # any URL needing more than the key: ask each record instead
            return None
    first = str(_STAND_IN_PKS[0])
    if urls[0].count(first) != 1:
        return None
    before, after = urls[0].split(first)
    if urls[1] != f"{before}{_STAND_IN_PKS[1]}{after}":
        return None
    return before, after


@register.filter
def badge_count(count, limit=99):
    """A badge's number: "99+" beyond ``limit``."""
    return f"{limit}+" if count > limit else str(count)


@register.filter
def pk_url(pk, name):
    """``{% url name pk %}`` for a URL that takes a primary key alone (``pk|pk_url:"app:view"``),
    without a ``reverse()`` for each row: built once per name, URL configuration, script
    prefix and language with a stand-in key, as `record_url` does."""
    before, after = _named_url_around_pk(
        name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), get_language()
    )
    return f"{before}{int(pk)}{after}"


@lru_cache(maxsize=256)
def _named_url_around_pk(name, urlconf, script_prefix, language) -> tuple[str, str]:
    url = reverse(name, args=[_STAND_IN_PKS[0]])
    before, after = url.split(str(_STAND_IN_PKS[0]))
    return before, after


@register.filter(expects_localtime=True)
def iso_date(value):
    """``value|date:"Y-m-d"`` (a list's dates), without Django's general date formatter."""
    if isinstance(value, date_type):
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    return date(value, "Y-m-d")


@register.filter(expects_localtime=True)
def iso_minute(value):
    """``value|date:"Y-m-d H:i"``, without Django's general date formatter."""
    if isinstance(value, datetime):
        return (
            f"{value.year:04d}-{value.month:02d}-{value.day:02d} "
            f"{value.hour:02d}:{value.minute:02d}"
        )
    return date(value, "Y-m-d H:i")


@register.filter
def is_manager(user):
    return _is_manager(user)
