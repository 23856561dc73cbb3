from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from crm.templatetags.crm_tags import record_url

register = template.Library()


@register.simple_tag(takes_context=True)
def duplicate_customer(context, customer):
    """A possible duplicate as the duplicates and merge pages show it: its name (a link), an
    "archived" mark, its e-mail and phone, and for a manager (``manager`` in the context) its
    owner. Built in Python (it was an included template): a page shows up to a hundred."""
    archived = (
        format_html(' <span class="badge text-bg-secondary">{}</span>', gettext("archived"))
        if customer.archived_at is not None
        else ""
    )
    details = [customer.email or "—", customer.phone or "—"]
    if context.get("manager"):
        owner = customer.owner
        details.append(owner.get_full_name() or owner.username)
    return format_html(
        '<a href="{}">{}</a>{}\n<div class="small text-body-secondary">{}</div>',
        record_url(customer),
        customer.name,
        archived,
        " · ".join(details),
    )
