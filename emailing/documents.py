"""The quote's PDF for an e-mail: the very document of the quote's PDF view, in the
e-mail's language."""

from crm.documents import render_pdf
from quotes.document_views import QuotePrintView
from quotes.models import Quote


def quote_pdf(quote: Quote) -> bytes:
    """The PDF of ``quote`` as ``quotes:pdf`` serves it (the view builds the context, so the
    attachment and the download can never differ), rendered in the active language."""
    view = QuotePrintView()
    view.setup(None, pk=quote.pk)
    view.object = quote
    context = view.get_context_data(object=quote)
    return render_pdf(view.get_template_names()[0], context)
