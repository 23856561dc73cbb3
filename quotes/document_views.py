"""A quote as the customer reads it: the printable page and, from the same template, its
PDF (crm.documents)."""

from django.utils.translation import gettext as _
from django.views.generic import DetailView

from crm.access import VisibleObjectMixin
from crm.documents import DocumentMixin
from quotes.lines import document_totals
from quotes.models import Quote


def sheet_context(quote: Quote) -> dict:
    """What the quote's sheet (quote_print.html's ``sheet``) shows besides the quote: its
    lines, the totals under them with the tax per rate, the customer's contact. The
    printable page, the PDF and the customer's page (quotes.public_views) all show it."""
    lines = list(quote.lines.all())
    return {
        "lines": lines,
        # The figures quotes.pricing.set_lines stored, from the same lines and arithmetic.
        **document_totals(lines, prices_include_tax=quote.prices_include_tax, total=quote.total),
        "contact": quote.customer.contacts.first(),
        "document_number": quote.number,
    }


class QuotePrintView(VisibleObjectMixin, DocumentMixin, DetailView):
    """The quote as the customer sees it: no internal notes, no navigation. The same
    template makes its PDF (`QuotePdfView`)."""

    model = Quote
    template_name = "quotes/quote_print.html"

    def get_queryset(self):
        return super().get_queryset().select_related("customer", "created_by").defer("notes")

    def watermark(self):
        quote = self.object
        if quote.status in (Quote.Status.APPROVED, Quote.Status.SENT, Quote.Status.ACCEPTED):
            return ""
        if quote.status in (
            Quote.Status.CANCELLED,
            Quote.Status.EXPIRED,
            Quote.Status.DECLINED,
            Quote.Status.SUPERSEDED,
        ):
            return quote.get_status_display()
        # Not approved yet: a draft, waiting for a manager, or rejected.
        return _("Draft")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**sheet_context(self.object), **kwargs)


class QuotePdfView(QuotePrintView):
    """The printable quote as a PDF file (WeasyPrint), shown in the browser."""

    as_pdf = True
