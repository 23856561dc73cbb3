"""The quote's PDF for an e-mail: the very document of the quote's PDF view, in the
e-mail's language."""

from crm.documents import render_pdf
from quotes.document_views import QUOTE_DOCUMENT_TEMPLATE, quote_document_context
from quotes.models import Quote


def quote_pdf(quote: Quote) -> bytes:
    """The PDF of ``quote`` as ``quotes:pdf`` serves it (the same template and context, so
    the attachment and the download can never differ), rendered in the active language."""
    return render_pdf(QUOTE_DOCUMENT_TEMPLATE, quote_document_context(quote))
