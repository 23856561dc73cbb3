"""A quote from the catalogue to the order, as the people who use it click through it, on a
real background worker and a real SMTP server on 127.0.0.1: a manager adds a product to the
catalogue; a salesperson builds a quote from it with a discount; an approval rule approves
it; its PDF says what the customer will read; the e-mail reaches the customer with the PDF
and a link; the customer accepts on that link in a browser of their own; the salesperson
makes the order."""

import io
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from orders.models import Order
from products.models import Product
from quotes.models import ApprovalRule, Quote
from tests.e2e.conftest import log_in
from tests.factories import (
    ApprovalRuleFactory,
    ContactFactory,
    CustomerFactory,
    ManagerFactory,
    OpportunityFactory,
    SalespersonFactory,
)
from tests.smtp import smtp_server, worker_env
from tests.worker import running_worker

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def pdf_text(data: bytes) -> str:
    """The PDF's text with its line breaks as spaces (a cell's text wraps)."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def test_catalogue_to_quote_to_pdf_email_customer_link_and_order(
    page, second_page, live_server, tmp_path, settings
):
    settings.CRM_SITE_URL = live_server.url
    mei = ManagerFactory(username="mei", first_name="Mei", last_name="Chen")
    alice = SalespersonFactory(username="alice", first_name="Alice", last_name="Wang")
    customer = CustomerFactory(owner=alice, name="华东冷链物流有限公司")
    ContactFactory(customer=customer, name="张敏", email="zhang.min@huadong.test")
    deal = OpportunityFactory(customer=customer, name="Cold-chain sensors", stage="proposal")
    rule = ApprovalRuleFactory(
        name="Small discount, healthy margin",
        max_total=None,
        max_discount_percent=Decimal("10"),
        min_margin_percent=Decimal("25"),
    )

    # The manager adds the product to the catalogue.
    log_in(page, live_server, mei)
    page.goto(f"{live_server.url}/products/new/")
    page.get_by_label("SKU").fill("cc-sns-t1")
    page.get_by_label("Name").fill("温度传感器 Temperature sensor")
    page.get_by_label("Unit", exact=True).fill("个")
    page.get_by_label("List price").fill("320.00")
    page.get_by_label("Cost price").fill("150.00")
    page.get_by_label("Tax %").fill("13")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("body")).to_contain_text("Product CC-SNS-T1 added.")
    assert Product.objects.get().sku == "CC-SNS-T1"

    # The salesperson builds the quote from it, 5 % off, and submits it: the rule approves.
    page.context.clear_cookies()
    log_in(page, live_server, alice)
    page.goto(f"{live_server.url}/quotes/new/?opportunity={deal.pk}")
    line = page.locator("#lines tbody tr").first
    line.get_by_label("Description").press_sequentially("CC-SNS")
    line.get_by_role("option", name=re.compile("^CC-SNS-T1")).click()
    line.get_by_label("Quantity").fill("10")
    line.get_by_label("Discount %").fill("5")
    page.get_by_role("button", name="Save draft").click()
    quote = Quote.objects.get()
    page.wait_for_url(f"{live_server.url}{quote.get_absolute_url()}")
    # 10 x 320.00 = 3,200.00, 5 % off: 3,040.00 net, 13 % tax 395.20, total 3,435.20.
    expect(page.locator("#quote-net")).to_have_text("CNY 3,040.00")
    expect(page.locator("#quote-total")).to_have_text("CNY 3,435.20")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator(".quote-status")).to_have_text("Approved")
    expect(page.locator("#quote-history")).to_contain_text(rule.name)
    quote.refresh_from_db()
    assert (quote.auto_approved_by_rule, quote.margin_percent) == (rule.name, Decimal("50.66"))

    # The PDF the customer will receive: the Chinese names, the tax per rate, no "Draft".
    pdf = page.request.get(f"{live_server.url}/quotes/{quote.pk}/pdf/")
    assert pdf.headers["content-type"] == "application/pdf"
    text = pdf_text(pdf.body())
    for expected in ("华东冷链物流有限公司", "温度传感器 Temperature sensor", quote.number):
        assert expected in text
    assert "Tax 13% on CNY 3,040.00" in text and "CNY 3,435.20" in text
    assert "Draft" not in text and "150.00" not in text  # never the cost

    # She e-mails it; the worker sends it through the SMTP server.
    with (
        smtp_server() as mailbox,
        running_worker(
            tmp_path / "worker.log", CRM_SITE_URL=live_server.url, **worker_env(mailbox)
        ),
    ):
        page.get_by_role("link", name="Send by e-mail").click()
        page.get_by_label("张敏 <zhang.min@huadong.test>").check()
        page.get_by_role("button", name="Send").click()
        expect(page.locator(".quote-status")).to_have_text("Sent", timeout=30_000)
    [mail] = [m for m in mailbox.received if m.recipients == ["zhang.min@huadong.test"]]
    attached = pdf_text(mail.attachments[f"{quote.number}.pdf"])
    assert quote.number in attached and "华东冷链物流有限公司" in attached
    link = re.search(rf"{re.escape(live_server.url)}/q/\S+", mail.text).group(0)

    # The customer opens the link in a browser of their own, never logged in, and accepts.
    second_page.goto(link)
    expect(second_page.locator(".sheet-number")).to_have_text(quote.number)
    expect(second_page.locator("#totals")).to_contain_text("CNY 3,435.20")
    second_page.get_by_label("Your full name").fill("张敏")
    second_page.get_by_role("button", name="Accept the quote").click()
    expect(second_page.locator("#quote-closed")).to_contain_text("has been accepted")

    # The salesperson sees the answer and makes the order of the accepted revision.
    page.reload()
    expect(page.locator(".quote-status")).to_have_text("Accepted")
    page.locator("#quote-order").get_by_role("button", name="Create draft order").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Order SO-"))
    order = Order.objects.get(quote=quote)
    assert order.total == Decimal("3435.20")
    assert list(order.lines.values_list("description", "tax_rate")) == [
        ("温度传感器 Temperature sensor", Decimal("13.00"))
    ]
    assert ApprovalRule.objects.count() == 1
