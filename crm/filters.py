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
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from crm.lookups import AnyOf
from crm.roles import is_manager


class IdInFilter(django_filters.BaseInFilter, django_filters.NumberFilter):
    field_class = forms.IntegerField


class CrmFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    id = IdInFilter(field_name="pk", min_value=1, max_value=2**63 - 1, label=_("Records"))

    #: Fields searched with ``icontains`` and OR-ed together for ``q``; a field of a related
    #: record is named through its relation ("customer__name", "contacts__name").
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
        terms = value.split()[:5]
        # Every word must match. The longest is the likeliest to be rare, and one rare word
        # is all an index needs to find the few candidate rows: only its matches in related
        # tables are looked up first (see `contains`); the other words are checked on those
        # rows. Shorter than three characters, no word narrows a trigram index down.
        longest = max(range(len(terms)), key=lambda i: len(terms[i]), default=None)
        if longest is not None and len(terms[longest]) < 3:
            longest = None
        for i, term in enumerate(terms):
            queryset = queryset.filter(self.search_condition(term, look_up=i == longest))
        return queryset

    def search_condition(self, term: str, *, look_up: bool = True) -> Q:
        """The condition one search word must meet: some search field contains it, whatever
        the case. With ``look_up``, its matches in related tables are looked up first.
        Apps extend it (e.g. the digits of a phone number)."""
        model = self._meta.model
        return reduce(
            or_, (contains(model, field, term, look_up=look_up) for field in self.search_fields)
        )

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


#: A search word's matches in a related table (the customer's name of a deal, the contacts
#: of a customer) are passed to the list's query as ids when there are at most this many.
RELATED_IDS_LIMIT = 1000


def contains(model, path: str, term: str, *, look_up: bool = False) -> Q:
    """``path`` of a ``model`` row contains ``term``, whatever the case.

    A field of a related record ("customer__name", "contacts__name") is, with ``look_up``,
    first searched in its own table (one query, through its trigram index on PostgreSQL:
    the ``*_search_trigram`` migrations). Up to ``RELATED_IDS_LIMIT`` matches become
    ``customer_id IN (ids)`` (as one array: `crm.lookups.AnyOf`): a condition on this table
    that its key index answers, so every
    branch of the word's OR has an index and PostgreSQL combines them (a BitmapOr) instead
    of reading the whole table. A join, an ``EXISTS`` or an ``IN (SELECT ...)`` in the OR
    would be checked row by row. Constants rather than a subquery, because PostgreSQL then
    knows how many there are and hashes them when it checks rows; an
    ``= ANY(ARRAY(SELECT ...))`` is scanned element by element for every row it filters
    (measured: seconds for a common word). Without ``look_up``, or with more matches (an
    index would not narrow those down much), the related row is checked row by row.
    """
    relation_name, _, rest = path.partition("__")
    field = model._meta.get_field(relation_name)
    if not rest or not (field.many_to_one or field.one_to_many):
        return Q(**{f"{path}__icontains": term})
    if field.many_to_one:  # a foreign key of this model: customer__name
        column, related_key = field.attname, field.target_field.attname
    else:  # a foreign key to this model: contacts__name
        column, related_key = field.field.target_field.attname, field.field.attname
    matches = field.related_model._base_manager.order_by().filter(**{f"{rest}__icontains": term})
    if look_up:
        found = list(matches.values_list(related_key, flat=True)[: RELATED_IDS_LIMIT + 1])
        if len(found) <= RELATED_IDS_LIMIT:
            return Q(AnyOf(F(column), sorted(set(found))))
    if field.many_to_one:
        return Q(**{f"{path}__icontains": term})
    # Several related rows per row of this model: EXISTS keeps each row once.
    return Q(Exists(matches.filter(**{related_key: OuterRef(column)})))
