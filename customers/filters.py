import re

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm.filters import CrmFilterSet
from crm.roles import salespeople
from customers.models import Customer, Tag
from customers.querysets import normalize_phone

# A search that is only a phone number, however it is written: "+86 138 0013 8000".
_PHONE_NUMBER = re.compile(r"\+?[\d\s().-]+")


class CustomerFilter(CrmFilterSet):
    ARCHIVE_CHOICES = [
        ("active", _("Current customers")),
        ("archived", _("Archived")),
        ("all", _("All")),
    ]

    status = django_filters.ChoiceFilter(choices=Customer.Status.choices, label=_("Status"))
    kind = django_filters.ChoiceFilter(choices=Customer.Kind.choices, label=_("Kind"))
    industry = django_filters.ChoiceFilter(choices=Customer.Industry.choices, label=_("Industry"))
    source = django_filters.ChoiceFilter(choices=Customer.Source.choices, label=_("Source"))
    rating = django_filters.ChoiceFilter(choices=Customer.Rating.choices, label=_("Rating"))
    tag = django_filters.ModelChoiceFilter(
        field_name="tags", queryset=Tag.objects.all(), label=_("Tag"), distinct=False
    )
    owner = django_filters.ModelChoiceFilter(queryset=salespeople(), label=_("Owner"))
    archived = django_filters.ChoiceFilter(
        choices=ARCHIVE_CHOICES, method="filter_archived", label=_("Archive"), empty_label=None
    )

    search_fields = ("name", "email", "phone", "contacts__name")
    sort_fields = {
        "name": ("name",),
        "status": ("status",),
        "industry": ("industry",),
        "owner": ("owner__first_name", "owner__last_name", "owner__username"),
        "updated": ("updated_at",),
        "created": ("created_at",),
    }
    default_sort = "-updated"
    manager_only_sorts = ("owner",)
    manager_only_filters = ("owner",)

    class Meta:
        model = Customer
        fields = []

    def filter_queryset(self, queryset):
        # Archived customers stay out of the working list unless asked for.
        if not self.form.cleaned_data.get("archived"):
            queryset = queryset.filter(archived_at__isnull=True)
        return super().filter_queryset(queryset)

    def filter_archived(self, queryset, name, value):
        if value == "archived":
            return queryset.filter(archived_at__isnull=False)
        if value == "active":
            return queryset.filter(archived_at__isnull=True)
        return queryset

    def filter_search(self, queryset, name, value):
        # A phone number typed with spaces is one term, not four words that must each match.
        if _PHONE_NUMBER.fullmatch(value.strip()):
            return queryset.filter(self.search_condition(value.strip()))
        return super().filter_search(queryset, name, value)

    def search_condition(self, term, *, look_up=True):
        condition = super().search_condition(term, look_up=look_up)
        digits = normalize_phone(term)
        if len(digits) >= 4:
            condition |= Q(phone_normalized__contains=digits)
        return condition
