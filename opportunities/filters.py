import django_filters
from django.utils.translation import gettext_lazy as _

from crm.filters import CrmFilterSet
from crm.roles import salespeople
from opportunities.models import Opportunity
from opportunities.periods import PERIOD_CHOICES, period_range
from opportunities.stages import OPEN_STAGES, Stage


class OpportunityFilter(CrmFilterSet):
    stage = django_filters.MultipleChoiceFilter(
        choices=Stage.choices,
        label=_("Stage"),
        widget=django_filters.widgets.CSVWidget,
        # One row per record whatever the choices: DISTINCT would sort every selected row.
        distinct=False,
    )
    open = django_filters.BooleanFilter(method="filter_open", label=_("Open only"))
    owner = django_filters.ModelChoiceFilter(queryset=salespeople(), label=_("Owner"))
    # Customers are picked by id from links (a customer's page), never from a <select>
    # that would list every customer.
    customer = django_filters.NumberFilter(field_name="customer_id", label=_("Customer"))
    amount_min = django_filters.NumberFilter(
        field_name="amount", lookup_expr="gte", label=_("Amount from")
    )
    amount_max = django_filters.NumberFilter(
        field_name="amount", lookup_expr="lte", label=_("Amount to")
    )
    close_after = django_filters.DateFilter(
        field_name="expected_close_date", lookup_expr="gte", label=_("Closing from")
    )
    close_before = django_filters.DateFilter(
        field_name="expected_close_date", lookup_expr="lte", label=_("Closing until")
    )

    search_fields = ("name", "customer__name", "next_step")
    sort_fields = {
        "name": ("name",),
        "customer": ("customer__name",),
        "amount": ("amount",),
        "weighted": ("weighted_amount",),
        "probability": ("probability",),
        "stage": ("stage",),
        "close": ("expected_close_date",),
        "updated": ("updated_at",),
    }
    default_sort = "-updated"
    customer_sorts = {"customer": "customer__owner"}
    manager_only_filters = ("owner",)

    class Meta:
        model = Opportunity
        fields = []

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.open() if value else queryset.exclude(stage__in=OPEN_STAGES)


class PipelineFilter(CrmFilterSet):
    """The board's and the forecast's filters: owner (managers) and a close-date period."""

    owner = django_filters.ModelChoiceFilter(queryset=salespeople(), label=_("Owner"))
    period = django_filters.ChoiceFilter(
        choices=PERIOD_CHOICES, method="filter_period", label=_("Closing")
    )

    manager_only_filters = ("owner",)
    search_fields = ("name", "customer__name")
    sort_fields = {"close": ("expected_close_date",)}
    default_sort = "close"

    class Meta:
        model = Opportunity
        fields = []

    def filter_period(self, queryset, name, value):
        start, end = period_range(value)
        if start:
            queryset = queryset.filter(expected_close_date__gte=start)
        if end:
            queryset = queryset.filter(expected_close_date__lte=end)
        return queryset
