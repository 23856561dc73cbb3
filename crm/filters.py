"""The FilterSet every list page and its CSV export share.

One FilterSet decides which rows a list shows and in which order, so the export of a list
is exactly its rows: free-text search in ``q``, the app's own filters, a stable sort in
``sort``, and ``id`` for exporting chosen records. Filters only managers may use are removed
for everyone else rather than checked later.
"""

from functools import reduce
from operator import or_

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm.roles import is_manager


class IdInFilter(django_filters.BaseInFilter, django_filters.NumberFilter):
    field_class = forms.IntegerField


class CrmFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    id = IdInFilter(field_name="pk", min_value=1, max_value=2**63 - 1, label=_("Records"))

    #: Lookups searched with ``icontains`` and OR-ed together for ``q``.
    search_fields: tuple[str, ...] = ()
    #: Sort keys offered to the user, each mapped to the fields it orders by.
    sort_fields: dict[str, tuple[str, ...]] = {}
    #: The sort used when none (or an unknown one) is asked for; "-" means descending.
    default_sort = "-pk"
    #: Filters that only managers see and use (e.g. "owner").
    manager_only_filters: tuple[str, ...] = ()
    #: Sort keys only managers are offered (a salesperson's column would be all theirs).
    manager_only_sorts: tuple[str, ...] = ()
    #: Sort keys on a column of the customer, with the lookup of the customer's owner. For a
    #: salesperson the list is also filtered on it (the same rows): PostgreSQL can then read
    #: their customers in the customer index (owner, name) instead of every customer's.
    customer_sorts: dict[str, str] = {}

    def __init__(self, data=None, queryset=None, *, request, prefix=None):
        super().__init__(data=data, queryset=queryset, request=request, prefix=prefix)
        self.user = request.user
        if not is_manager(self.user):
            for name in self.manager_only_filters:
                self.filters.pop(name, None)

    def filter_search(self, queryset, name, value):
        terms = value.split()
        for term in terms[:5]:
            queryset = queryset.filter(self.search_condition(term))
        return queryset

    def search_condition(self, term: str) -> Q:
        """The condition one search word must meet; apps extend it (e.g. related names)."""
        return reduce(or_, (Q(**{f"{field}__icontains": term}) for field in self.search_fields))

    def filter_queryset(self, queryset):
        #: The same rows without the sort and its hint: what a list counts.
        self.rows_to_count = super().filter_queryset(queryset)
        queryset = self.rows_to_count
        owner_path = self.customer_sorts.get(self.sort.lstrip("-"))
        if owner_path and not is_manager(self.user):
            queryset = queryset.filter(**{owner_path: self.user})
        return queryset.order_by(*self.ordering())

    @property
    def sort(self) -> str:
        """The sort in effect: the requested key when it is known, else the default."""
        requested = (self.data or {}).get("sort", "")
        key = requested.lstrip("-")
        if key in self.sort_fields and (
            key not in self.manager_only_sorts or is_manager(self.user)
        ):
            return requested
        return self.default_sort

    def ordering(self) -> list[str]:
        sort = self.sort
        descending = sort.startswith("-")
        fields = list(self.sort_fields.get(sort.lstrip("-"), ("pk",)))
        # The primary key last keeps pages stable when the sort column has ties.
        if "pk" not in fields and "id" not in fields:
            fields.append("pk")
        return [_flip(field) if descending else field for field in fields]

    def requested_ids(self) -> list[int]:
        """The record ids named in ``id`` when they are well-formed, else none."""
        self.form.is_valid()  # cleaned_data then holds the fields that are valid
        return list(self.form.cleaned_data.get("id") or [])


def _flip(field: str) -> str:
    return field[1:] if field.startswith("-") else f"-{field}"
