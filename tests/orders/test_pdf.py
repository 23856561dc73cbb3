"""The order confirmation: its printable page and its PDF (one template), who may have them
and what they say."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from orders import services
from quotes.models import QuoteLine
from tests.factories import ContactFactory, CustomerFactory
from tests.orders.conftest import approved_quote

pytestmark = pytest.mark.django_db

CUSTOMER = "深圳华南电子科技有限公司"
CONTACT = "李娜"
LINES = ("工业网关", "年度维护合同")


def pdf_url(order):
    return reverse("orders:pdf", kwargs={"pk": order.pk})


def print_url(order):
    return reverse("orders:print", kwargs={"pk": order.pk})


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def chinese_order(salesperson, other_manager):
    """A draft order of a Chinese customer with a primary contact; its quote's two lines are
    named in Chinese (total 2,450.00 after a 50.00 discount) and has terms."""
    customer = CustomerFactory(owner=salesperson, name=CUSTOMER, address="深圳市南山区科技园")
    ContactFactory(customer=customer, name=CONTACT, title="总经理", is_primary=True)
    quote = approved_quote(customer, other_manager)
    for position, description in enumerate(LINES, start=1):
        QuoteLine.objects.filter(quote=quote, position=position).update(description=description)
    type(quote).objects.filter(pk=quote.pk).update(terms="交货期：合同签订后15个工作日。")
    return services.create_order(by=salesperson, quote_id=quote.pk)


def test_confirmed_order_pdf_holds_the_chinese_names_and_totals(
    sales_client, chinese_order, salesperson, manager
):
    services.submit_order(order_id=chinese_order.pk, by=salesperson)
    order = services.approve_order(order_id=chinese_order.pk, by=manager)
    response = sales_client.get(pdf_url(order))
    assert response["Content-Disposition"] == f'inline; filename="{order.number}.pdf"'
    text = pdf_text(response)
    for name in (CUSTOMER, CONTACT, *LINES, "交货期：合同签订后15个工作日。", order.quote.number):
        assert name in text, name
    assert "CNY 2,500.00" in text and "CNY 50.00" in text and "CNY 2,450.00" in text
    assert "Draft" not in text


def test_draft_order_pdf_is_watermarked(sales_client, chinese_order):
    assert "Draft" in pdf_text(sales_client.get(pdf_url(chinese_order)))


def test_cancelled_order_pdf_says_so(sales_client, chinese_order, salesperson):
    services.cancel_order(order_id=chinese_order.pk, by=salesperson)
    assert "Cancelled" in pdf_text(sales_client.get(pdf_url(chinese_order)))


def test_order_pdf_leaves_out_the_internal_notes(sales_client, chinese_order):
    type(chinese_order).objects.filter(pk=chinese_order.pk).update(notes="客户要求保密")
    assert "客户要求保密" not in pdf_text(sales_client.get(pdf_url(chinese_order)))


def test_manager_opens_the_order_documents(manager_client, chinese_order):
    assert CUSTOMER in pdf_text(manager_client.get(pdf_url(chinese_order)))
    assert manager_client.get(print_url(chinese_order)).status_code == 200


def test_teammate_gets_404_for_someone_elses_order_documents(teammate_client, chinese_order):
    assert teammate_client.get(pdf_url(chinese_order)).status_code == 404
    assert teammate_client.get(print_url(chinese_order)).status_code == 404


def test_anonymous_is_sent_to_login_from_the_order_documents(client, chinese_order):
    for url in (pdf_url(chinese_order), print_url(chinese_order)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_printable_order_is_the_pdfs_page(sales_client, chinese_order):
    page = sales_client.get(print_url(chinese_order)).text
    assert CUSTOMER in page and CONTACT in page and LINES[0] in page
    assert pdf_url(chinese_order) in page
    assert 'id="watermark"' in page and 'id="not-confirmed"' in page
    assert "style=" not in page and "<style" not in page


def test_order_page_links_to_its_documents(sales_client, chinese_order):
    page = sales_client.get(chinese_order.get_absolute_url()).text
    assert pdf_url(chinese_order) in page and print_url(chinese_order) in page
