"""crm.documents: the PDF's fetcher reads our static files and nothing else; file names and
the page label."""

import pytest
from django.utils import translation

from crm import documents
from crm.documents import (
    DOCUMENT_BASE_URL,
    page_label_parts,
    pdf_filename,
    static_file_path,
    static_files_fetcher_class,
)


def static(name):
    return f"{DOCUMENT_BASE_URL}static/{name}"


def test_fetcher_reads_a_static_file_from_disk():
    response = static_files_fetcher_class()()(static("css/print.css"))
    assert response.content_type == "text/css"
    assert b"@page" in response.read()


def test_fetcher_reads_collected_hashed_files_but_never_a_stale_copy(settings, tmp_path):
    """In production the stylesheet's URL names collectstatic's hashed copy in STATIC_ROOT;
    a copy of an unhashed name an older collectstatic left there is not the project's file."""
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "print.0123abcd.css").write_text("@page { size: A4 }")
    (tmp_path / "css" / "print.css").write_text("/* last month's stylesheet */")
    assert (
        static_file_path(static("css/print.0123abcd.css"))
        == tmp_path / "css" / "print.0123abcd.css"
    )
    assert static_file_path(static("css/print.css")).read_text().startswith("/* Printable")


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/static/css/print.css",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        f"{DOCUMENT_BASE_URL}media/imports/customers.xlsx",
        static("../crm/settings.py"),
        static("%2e%2e/%2e%2e/etc/passwd"),
        static("/etc/passwd"),
        static("css/missing.css"),
        static(""),
    ],
)
def test_fetcher_refuses_anything_but_our_static_files(url):
    assert static_file_path(url) is None
    with pytest.raises(ValueError, match="not fetched"):
        static_files_fetcher_class()()(url)


def test_pdf_ignores_an_image_from_the_network(monkeypatch):
    """An address that is not ours is never opened, whatever the template holds."""
    from weasyprint import HTML

    opened = []
    monkeypatch.setattr(
        "urllib.request.OpenerDirector.open", lambda self, *a, **k: opened.append(a)
    )
    html = '<img src="https://example.com/logo.png"><p>Hello</p>'
    pdf = HTML(
        string=html, base_url=DOCUMENT_BASE_URL, url_fetcher=static_files_fetcher_class()()
    ).write_pdf()
    assert pdf.startswith(b"%PDF-")
    assert opened == []


@pytest.mark.parametrize(
    ("number", "filename"),
    [
        ("Q-2026-00042", "Q-2026-00042.pdf"),
        ("SO-2026-00001", "SO-2026-00001.pdf"),
        ('Q/../"x"\r\n', "Q_.._x.pdf"),
        ("报价-1", "1.pdf"),
        ("", "document.pdf"),
    ],
)
def test_pdf_filename_is_safe(number, filename):
    assert pdf_filename(number) == filename


def test_page_label_in_english():
    with translation.override("en"):
        assert page_label_parts() == {"before": "Page ", "middle": " of ", "after": ""}


def test_page_label_follows_the_translation(monkeypatch):
    monkeypatch.setattr(documents, "_", lambda text: "第 %(page)s 页，共 %(pages)s 页")
    assert page_label_parts() == {"before": "第 ", "middle": " 页，共 ", "after": " 页"}


def test_page_label_falls_back_to_english_on_a_broken_translation(monkeypatch):
    monkeypatch.setattr(documents, "_", lambda text: "第页")
    assert page_label_parts() == {"before": "Page ", "middle": " of ", "after": ""}
