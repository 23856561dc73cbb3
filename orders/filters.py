from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communications.filters import RecordIdFilter
from crm.filters import CrmFilterSet
from crm.roles import salespeople
from orders.models import Order

# Dates outside these are read as these: the database's time range is narrower than Python's.
EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(9000, 12, 31)
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def start_of_day(day: date) -> datetime:
    """The first moment of ``day`` in the current time zone, so that the index on
    ``created_at`` serves a date range (``created_at__date`` would not use it)."""
    day = min(max(day, EARLIEST_DAY), LATEST_DAY)
    return timezone.make_aware(datetime.combine(day, time.min))


class OrderFilter(CrmFilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=Order.Status.choices,
        label=_("Status"),
        widget=django_filters.widgets.CSVWidget,
        # One row per record whatever the choices: DISTINCT would sort every selected row.
        distinct=False,
    )
    # "Owner" of an order is the person who made it from the quote.
    owner = django_filters.ModelChoiceFilter(
        field_name="created_by", queryset=salespeople(), label=_("Created by")
    )
    # Customers are named by id from links (a customer's page), never from a <select> that
    # would list every customer.
    customer = RecordIdFilter(field_name="customer_id", label=_("Customer"))
    total_min = django_filters.NumberFilter(
        field_name="total", lookup_expr="gte", label=_("Total from")
    )
    total_max = django_filters.NumberFilter(
        field_name="total", lookup_expr="lte", label=_("Total to")
    )
    created_after = django_filters.DateFilter(
        method="filter_created_after", label=_("Created from"), widget=DATE_INPUT
    )
    created_before = django_filters.DateFilter(
        method="filter_created_before", label=_("Created until"), widget=DATE_INPUT
    )

    search_fields = ("number", "customer__name")
    sort_fields = {
        "number": ("number",),
        "customer": ("customer__name", "customer_id", "-created_at", "-id"),
        "total": ("total",),
        "status": ("status", "-created_at", "-id"),
        "created": ("created_at",),
    }
    default_sort = "-created"
    customer_sorts = {"customer": "customer__owner"}
    manager_only_filters = ("owner",)

    class Meta:
        model = Order
        fields = []

    def filter_created_after(self, queryset, name, value):
        return queryset.filter(created_at__gte=start_of_day(value))

    def filter_created_before(self, queryset, name, value):
        # The end date is included: everything before the next day begins.
        return queryset.filter(
            created_at__lt=start_of_day(min(value, LATEST_DAY) + timedelta(days=1))
        )
