"""A quote as the customer reads it: the printable page and, from the same template and
context, its PDF (crm.documents), downloaded or attached to an e-mail (emailing.documents)."""

from django.utils.translation import gettext as _
from django.views.generic import DetailView

from crm.access import VisibleObjectMixin
from crm.documents import DocumentMixin, document_context
from quotes.lines import document_totals
from quotes.models import Quote

#: The quote's printable page; its PDF, downloaded or e-mailed, is made from it.
QUOTE_DOCUMENT_TEMPLATE = "quotes/quote_print.html"


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


def quote_watermark(quote: Quote) -> str:
    """The word across the quote's document when it is not an offer the customer may take;
    empty when it is."""
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


def quote_document_context(quote: Quote) -> dict:
    """Everything `QUOTE_DOCUMENT_TEMPLATE` shows of ``quote``, with no request: the
    printable page, its PDF and the e-mailed PDF are rendered from this alone, so they can
    never differ."""
    return {
        "quote": quote,
        **document_context(watermark=quote_watermark(quote)),
        **sheet_context(quote),
    }


class QuotePrintView(VisibleObjectMixin, DocumentMixin, DetailView):
    """The quote as the customer sees it: no internal notes, no navigation. The same
    template makes its PDF (`QuotePdfView`)."""

    model = Quote
    template_name = QUOTE_DOCUMENT_TEMPLATE

    def get_queryset(self):
        return super().get_queryset().select_related("customer", "created_by").defer("notes")

    def document_context(self):
        return quote_document_context(self.object)


class QuotePdfView(QuotePrintView):
    """The printable quote as a PDF file (WeasyPrint), shown in the browser."""

    as_pdf = True
