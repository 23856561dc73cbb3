import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from communications.filters import RecordIdFilter
from crm.filters import CrmFilterSet
from crm.roles import salespeople
from quotes.models import Quote

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class QuoteFilter(CrmFilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=Quote.Status.choices,
        label=_("Status"),
        widget=django_filters.widgets.CSVWidget,
        # One row per record whatever the choices: DISTINCT would sort every selected row.
        distinct=False,
    )
    # The salesperson who wrote the quote; only managers filter by person.
    owner = django_filters.ModelChoiceFilter(
        field_name="created_by", queryset=salespeople(), label=_("Created by")
    )
    # Customers and opportunities are picked by id from links (their pages), never from a
    # <select> that would list every one of them.
    customer = RecordIdFilter(field_name="customer_id", label=_("Customer"))
    opportunity = RecordIdFilter(field_name="opportunity_id", label=_("Opportunity"))
    total_min = django_filters.NumberFilter(
        field_name="total", lookup_expr="gte", label=_("Total from")
    )
    total_max = django_filters.NumberFilter(
        field_name="total", lookup_expr="lte", label=_("Total to")
    )
    valid_from = django_filters.DateFilter(
        field_name="valid_until", lookup_expr="gte", label=_("Valid until, from"), widget=DATE_INPUT
    )
    valid_to = django_filters.DateFilter(
        field_name="valid_until", lookup_expr="lte", label=_("Valid until, to"), widget=DATE_INPUT
    )

    # The navigation's "Customer answers" badge links here: answers not yet opened.
    answers = django_filters.ChoiceFilter(
        choices=[("new", _("New customer answers"))],
        label=_("Customer answers"),
        method="filter_answers",
    )

    search_fields = ("number", "customer__name")
    sort_fields = {
        "number": ("number",),
        "customer": ("customer__name", "customer_id", "-created_at", "-id"),
        "total": ("total",),
        "status": ("status", "-created_at", "-id"),
        "valid_until": ("valid_until",),
        "created": ("created_at",),
    }
    default_sort = "-created"
    customer_sorts = {"customer": "customer__owner"}
    manager_only_filters = ("owner",)

    class Meta:
        model = Quote
        fields = []

    def filter_answers(self, queryset, name, value):
        return queryset.filter(customer_answer_seen=False) if value == "new" else queryset
