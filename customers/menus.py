"""The customer menu of the forms that pick a customer (new deal, new communication).

A salesperson may own tens of thousands of customers and a manager sees a million: a
``<select>`` with a row each would not load. The menu shows the chosen customer, then the
ones whose name matches what the user searched for, or else the most recently updated ones,
at most ``CUSTOMER_CHOICES_LIMIT``. Validation still accepts any customer of the field's
queryset, so a customer named by a link (``?customer=42``) is always accepted.
"""

from customers.models import Customer

CUSTOMER_CHOICES_LIMIT = 50
EMPTY_LABEL = "---------"


def limit_customer_menu(field, *, selected_pk: int | None, search: str = "") -> Customer | None:
    """Give ``field`` (a ModelChoiceField of customers) its short menu; return the chosen
    customer when it is one the field accepts."""
    selected = field.queryset.filter(pk=selected_pk).first() if selected_pk else None
    if field.disabled:
        customers = [selected] if selected else []
    else:
        shown = field.queryset
        if search:
            shown = shown.filter(name__icontains=search).order_by("name", "pk")
        else:
            shown = shown.order_by("-updated_at", "-pk")
        customers = list(shown.only("id", "name")[:CUSTOMER_CHOICES_LIMIT])
        if selected and selected not in customers:
            customers.insert(0, selected)
    field.widget.choices = [("", EMPTY_LABEL), *((c.pk, c.name) for c in customers)]
    return selected


def selected_pk(form, name: str) -> int | None:
    """The pk the form's field ``name`` holds: posted, or initial when not bound."""
    field = form.fields[name]
    value = (
        form[name].data
        if form.is_bound and not field.disabled
        else form.get_initial_for_field(field, name)
    )
    value = getattr(value, "pk", value)
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
