"""Printable documents (a quote, an order): one template gives the page a browser prints and
the PDF that WeasyPrint makes from it.

The PDF never reaches the network: WeasyPrint fetches the stylesheet (and any image) through
`StaticFilesFetcher`, which reads our own static files from disk and refuses every other
address. Fonts come from the machine (fontconfig): Latin text in DejaVu Sans, Chinese in the
Noto CJK fonts the Makefile installs (static/css/print.css names the stack).
"""

import mimetypes
import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils._os import safe_join
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

#: The address the document's HTML is rendered under, so that `{% static %}` paths resolve to
#: absolute URLs the fetcher recognises. Never contacted (.invalid cannot exist).
DOCUMENT_BASE_URL = "https://crm.invalid/"


@cache
def static_files_fetcher_class():
    """WeasyPrint's fetcher, narrowed to our static files. Made on first use: importing
    WeasyPrint loads Pango (about a second), which processes that make no PDF never need."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = static_file_path(url)
            if path is None:
                raise ValueError(f"not one of our static files, not fetched: {url}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, path.read_bytes(), headers={"Content-Type": content_type}
            )

    return StaticFilesFetcher


def static_file_path(url: str) -> Path | None:
    """The file on disk behind a static URL of the document, or None for any other address.

    Looks through the static files finders first (the project's own files, never a copy
    left behind by an older collectstatic), then in STATIC_ROOT (collectstatic's hashed
    names, in production). A path leaving those folders is refused.
    """
    prefix = urljoin(DOCUMENT_BASE_URL, settings.STATIC_URL)
    if not url.startswith(prefix):
        return None
    name = unquote(urlsplit(url).path[len(urlsplit(prefix).path) :])
    if not name or "\x00" in name:
        return None
    candidates = []
    try:
        found = finders.find(name)
    except SuspiciousFileOperation:
        found = None
    if found:
        candidates.append(Path(found))
    try:
        candidates.append(Path(safe_join(settings.STATIC_ROOT, name)))
    except SuspiciousFileOperation:
        return None
    return next((path for path in candidates if path.is_file()), None)


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    """The PDF of a document template, rendered with ``for_pdf`` on (no toolbar, no
    scripts, no screen-only stylesheet)."""
    from weasyprint import HTML

    html = render_to_string(template_name, {**context, "for_pdf": True}, request=request)
    document = HTML(
        string=html, base_url=DOCUMENT_BASE_URL, url_fetcher=static_files_fetcher_class()()
    )
    return document.write_pdf()


def pdf_filename(number: str) -> str:
    """A safe file name from a document number: ``Q-2026-00042.pdf``."""
    return f"{re.sub(r'[^A-Za-z0-9._-]+', '_', number).strip('._-') or 'document'}.pdf"


def page_label_parts() -> dict[str, str]:
    """ "Page 1 of 2" in the active language, cut around its two numbers: the PDF's footer
    puts CSS page counters between the pieces (print.css, `string-set`)."""
    english = "Page %(page)s of %(pages)s"
    for text in (_("Page %(page)s of %(pages)s"), english):
        before, page, rest = text.partition("%(page)s")
        middle, pages, after = rest.partition("%(pages)s")
        if page and pages:
            return {"before": before, "middle": middle, "after": after}
    raise AssertionError("unreachable: the English text has both numbers")


def document_context(*, watermark: str = "") -> dict:
    """What every document shows besides its record: the letterhead, the watermark (the
    word across a document that is not, or no longer, valid; empty when valid) and the
    footer's page label."""
    return {
        "company": settings.CRM_COMPANY,
        "watermark": watermark,
        "page_label": page_label_parts(),
    }


class DocumentMixin:
    """For the printable page of a record and its PDF: `document_context` around the record.
    The PDF view sets ``as_pdf`` and names the file after ``number``."""

    as_pdf = False

    def watermark(self) -> str:
        """The word across a document that is not (or no longer) valid; empty when valid."""
        return ""

    def document_context(self) -> dict:
        return document_context(watermark=self.watermark())

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.document_context(), **kwargs)

    def render_to_response(self, context, **response_kwargs):
        if not self.as_pdf:
            return super().render_to_response(context, **response_kwargs)
        pdf = render_pdf(self.get_template_names()[0], context, request=self.request)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=False, filename=pdf_filename(self.object.number)
        )
        # Customer data: never kept by a shared cache.
        response["Cache-Control"] = "private"
        return response
