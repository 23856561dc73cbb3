"""A quote as the customer reads it: the printable page and, from the same template, its
PDF (crm.documents)."""

from django.utils.translation import gettext as _
from django.views.generic import DetailView

from crm.access import VisibleObjectMixin
from crm.documents import DocumentMixin
from quotes.lines import taxes_by_rate
from quotes.models import Quote


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
        lines = list(self.object.lines.all())
        return super().get_context_data(
            lines=lines,
            taxes=taxes_by_rate(lines),
            contact=self.object.customer.contacts.first(),
            document_number=self.object.number,
            **kwargs,
        )


class QuotePdfView(QuotePrintView):
    """The printable quote as a PDF file (WeasyPrint), shown in the browser."""

    as_pdf = True
