"""The revisions of a quote: the list its page shows, and two of them side by side."""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView

from crm.access import VisibleObjectMixin
from quotes.compare import compare
from quotes.models import Quote

#: States in which the quote's page shows its customer link (a superseded or cancelled
#: revision's link only says why it accepts nothing: the page does not offer it).
CUSTOMER_LINK_STATUSES = (
    Quote.Status.SENT,
    Quote.Status.ACCEPTED,
    Quote.Status.DECLINED,
    Quote.Status.EXPIRED,
)


def revisions_of(quote: Quote) -> list[Quote]:
    """Every revision of the quote's family, oldest first (one query; just the quote itself
    when it was never revised)."""
    if quote.revision == 1 and quote.status != Quote.Status.SUPERSEDED:
        return [quote]  # never revised
    family = quote.family_id
    return list(
        Quote.objects.filter(Q(pk=family) | Q(original_id=family))
        .only("id", "number", "revision", "status", "total", "valid_until", "created_at")
        .order_by("revision")
    )


class QuoteCompareView(VisibleObjectMixin, DetailView):
    """The differences between two revisions of one quote (``pk`` the older, ``other`` the
    newer; given the other way round they are swapped). Revisions of different quotes, or
    one the user may not see, are a 404."""

    model = Quote
    template_name = "quotes/quote_compare.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        quote = self.object
        other = get_object_or_404(self.get_queryset(), pk=self.kwargs["other"])
        if other.family_id != quote.family_id or other.pk == quote.pk:
            raise Http404
        old, new = sorted([quote, other], key=lambda q: q.revision)
        context.update(old=old, new=new, diff=compare(old, new), revisions=revisions_of(new))
        return context
