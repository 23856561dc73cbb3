"""The list page every app reuses: filter, search, sort, paginate, with a fixed query count."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet, Subquery
from django.http import Http404
from django.utils.functional import cached_property
from django.views.generic import ListView


class CappedPaginator(Paginator):
    """Counts at most ``CRM_LIST_COUNT_CAP`` rows, so a page view never scans a whole table.

    Past the cap the list says "10,000+" and offers the pages up to it; a narrower filter
    reaches the rest, and the CSV export always has every row.
    """

    def __init__(self, object_list, per_page, *, rows_to_count=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        #: The same rows as ``object_list`` in a form that is cheaper to count, if any.
        self.rows_to_count = object_list if rows_to_count is None else rows_to_count

    @cached_property
    def count(self):
        cap = settings.CRM_LIST_COUNT_CAP
        # Without order_by() PostgreSQL would produce the first rows in the page's order
        # just to count them: 800 ms instead of 13 ms on a salesperson's list at 1M rows.
        counted = self.rows_to_count.order_by()[: cap + 1].count()
        self.is_capped = counted > cap
        return min(counted, cap)

    is_capped = False

    def page(self, number):
        """The page's rows, looked up by the ids of the page.

        ``LIMIT 25 OFFSET 4975`` on the full rows makes PostgreSQL fetch and join 5,000 rows
        only to skip them (100 ms at 1M rows). Skipping them in the sort's index, ids only,
        and then fetching 25 rows costs a few milliseconds, in the same single query. A sort
        that has to read a group of rows before the first one (customers by owner name)
        reads it from an index alone too.
        """
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        if isinstance(rows, QuerySet):
            rows = rows.filter(pk__in=Subquery(rows.values("pk")[bottom:top]))
        else:
            rows = rows[bottom:top]
        return self._get_page(rows, number, self)


class FilteredListView(ListView):
    """A list of the records the user may see, through the app's `CrmFilterSet`.

    Subclasses name ``model``, ``filterset_class`` and, for the rows, ``list_select_related``
    and ``list_only`` so that a page costs the same number of queries whatever its size.
    """

    filterset_class = None
    paginate_by = 25
    paginator_class = CappedPaginator
    list_select_related: tuple[str, ...] = ()
    list_prefetch_related: tuple[str, ...] = ()

    def visible_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    def get_queryset(self):
        queryset = self.visible_queryset()
        if self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        if self.list_prefetch_related:
            queryset = queryset.prefetch_related(*self.list_prefetch_related)
        self.filterset = build_filterset(self.filterset_class, self.request, queryset)
        return self.filterset.qs

    def paginate_queryset(self, queryset, page_size):
        # A malformed or out-of-range page shows the first or last page, never an error.
        paginator = self.get_paginator(
            queryset, page_size, rows_to_count=getattr(self.filterset, "rows_to_count", None)
        )
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filterset"] = self.filterset
        context["current_sort"] = self.filterset.sort
        return context


def build_filterset(filterset_class, request, queryset):
    """The filterset for a list request; a request naming records the user may not see is a 404."""
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    requested = filterset.requested_ids()
    if "id" in filterset.form.errors:
        raise Http404  # malformed record ids name nothing: never fall back to every row
    if requested and queryset.filter(pk__in=requested).count() != len(set(requested)):
        raise Http404
    return filterset
