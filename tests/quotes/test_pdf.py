"""The quote's PDF (WeasyPrint, from the printable page's template): who may have it, what it
says, in which fonts, and how it breaks across pages. The text is read back with pypdf."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from quotes import services
from quotes.models import QuoteLine
from tests.factories import ContactFactory, CustomerFactory, OpportunityFactory, quote_with_lines

pytestmark = pytest.mark.django_db

CUSTOMER = "上海星辰贸易有限公司"
CONTACT = "王小明"
LINES = ("工业温度传感器", "安装调试服务")


def pdf_url(quote):
    return reverse("quotes:pdf", kwargs={"pk": quote.pk})


def pdf_pages(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response) if response.streaming else response.content
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def pdf_text(response) -> str:
    return "\n".join(pdf_pages(response))


def name_lines(quote, *descriptions):
    for position, description in enumerate(descriptions, start=1):
        QuoteLine.objects.filter(quote=quote, position=position).update(description=description)


@pytest.fixture
def chinese_draft(salesperson):
    """A draft for a Chinese customer with a primary contact, two lines named in Chinese
    (total 1,900.00) and terms."""
    customer = CustomerFactory(
        owner=salesperson, name=CUSTOMER, address="上海市浦东新区世纪大道100号"
    )
    ContactFactory(customer=customer, name=CONTACT, title="采购经理", is_primary=True)
    opportunity = OpportunityFactory(customer=customer, stage="proposal")
    quote = quote_with_lines(
        opportunity=opportunity,
        lines=((1, "1000.00", "0"), (1, "1000.00", "10")),
        terms="付款方式：货到30天内付款。",
    )
    name_lines(quote, *LINES)
    return quote


@pytest.fixture
def chinese_approved(chinese_draft, salesperson, manager):
    services.submit_quote(quote_id=chinese_draft.pk, by=salesperson)
    return services.approve_quote(quote_id=chinese_draft.pk, by=manager)


def test_owner_downloads_the_pdf_named_after_the_quote(sales_client, chinese_draft):
    response = sales_client.get(pdf_url(chinese_draft))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{chinese_draft.number}.pdf"'
    assert response["Cache-Control"] == "private"
    assert response.content.startswith(b"%PDF-")


def test_pdf_holds_the_chinese_names_the_totals_and_the_letterhead(
    sales_client, chinese_approved, settings
):
    text = pdf_text(sales_client.get(pdf_url(chinese_approved)))
    for name in (CUSTOMER, CONTACT, "采购经理", *LINES, "付款方式：货到30天内付款。"):
        assert name in text, name
    assert chinese_approved.number in text
    assert "CNY 2,000.00" in text and "CNY 100.00" in text and "CNY 1,900.00" in text
    company = settings.CRM_COMPANY
    for value in (company["name"], company["phone"], company["email"], company["tax_id"]):
        assert value in text, value
    assert f"valid until {chinese_approved.valid_until:%Y-%m-%d}" in text


def test_pdf_letterhead_comes_from_the_company_setting(sales_client, chinese_approved, settings):
    settings.CRM_COMPANY = {
        "name": "星河科技有限公司",
        "address": "深圳市南山区科技园",
        "phone": "+86 755 1234 5678",
        "email": "hello@xinghe.example",
        "tax_id": "91440300TAX0001",
    }
    text = pdf_text(sales_client.get(pdf_url(chinese_approved)))
    for value in settings.CRM_COMPANY.values():
        assert value in text, value


def test_draft_pdf_is_watermarked_and_an_approved_one_is_not(
    sales_client, chinese_draft, salesperson, manager
):
    assert "Draft" in pdf_text(sales_client.get(pdf_url(chinese_draft)))
    services.submit_quote(quote_id=chinese_draft.pk, by=salesperson)
    assert "Draft" in pdf_text(sales_client.get(pdf_url(chinese_draft)))
    services.approve_quote(quote_id=chinese_draft.pk, by=manager)
    text = pdf_text(sales_client.get(pdf_url(chinese_draft)))
    assert "Draft" not in text and "draft" not in text


def test_watermark_is_translated(sales_client, chinese_draft):
    with translation.override("zh-hans"):
        draft = gettext("Draft")
    response = sales_client.get(pdf_url(chinese_draft), headers={"accept-language": "zh-hans"})
    assert draft in pdf_text(response)


def test_cancelled_quote_pdf_says_so_across_the_page(sales_client, chinese_draft, salesperson):
    services.cancel_quote(quote_id=chinese_draft.pk, by=salesperson)
    assert "Cancelled" in pdf_text(sales_client.get(pdf_url(chinese_draft)))


def test_long_quote_runs_over_pages_with_numbers_and_repeated_headers(sales_client, customer):
    opportunity = OpportunityFactory(customer=customer, stage="proposal")
    quote = quote_with_lines(opportunity=opportunity, lines=[(1, "10.00", "0")] * 80)
    pages = pdf_pages(sales_client.get(pdf_url(quote)))
    assert len(pages) >= 2
    assert f"Page 1 of {len(pages)}" in pages[0]
    assert f"Page 2 of {len(pages)}" in pages[1]
    # The lines' header row is printed again at the top of the next page.
    assert "DESCRIPTION" in pages[1] and "UNIT PRICE" in pages[1]
    # The totals come once, at the end.
    assert "Subtotal" in pages[-1] and all("Subtotal" not in page for page in pages[:-1])
    assert "Item 80" in pages[-1]


def test_manager_downloads_any_quote_pdf(manager_client, chinese_draft):
    assert CUSTOMER in pdf_text(manager_client.get(pdf_url(chinese_draft)))


def test_teammate_gets_404_for_someone_elses_quote_pdf(teammate_client, chinese_draft):
    assert teammate_client.get(pdf_url(chinese_draft)).status_code == 404


def test_anonymous_is_sent_to_login_from_the_pdf(client, chinese_draft):
    response = client.get(pdf_url(chinese_draft))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_pdf_leaves_out_the_internal_notes(sales_client, chinese_draft):
    type(chinese_draft).objects.filter(pk=chinese_draft.pk).update(notes="底价不能再低")
    assert "底价不能再低" not in pdf_text(sales_client.get(pdf_url(chinese_draft)))


def test_pages_of_the_quote_link_to_the_pdf(sales_client, chinese_draft):
    url = pdf_url(chinese_draft)
    assert url in sales_client.get(chinese_draft.get_absolute_url()).text
    page = sales_client.get(reverse("quotes:print", kwargs={"pk": chinese_draft.pk})).text
    assert url in page
    assert 'id="watermark"' in page and 'id="letterhead"' in page
    assert "style=" not in page and "<style" not in page


def test_pdf_renders_without_a_warning(sales_client, chinese_draft, caplog):
    """No stylesheet or image refused by the fetcher, no CSS that WeasyPrint ignores."""
    with caplog.at_level("WARNING", logger="weasyprint"):
        pdf_text(sales_client.get(pdf_url(chinese_draft)))
    assert [record.getMessage() for record in caplog.records] == []
