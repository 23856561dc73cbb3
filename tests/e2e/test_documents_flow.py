import pytest
from playwright.sync_api import expect

from quotes.models import QuoteLine
from tests.e2e.conftest import log_in
from tests.factories import (
    ContactFactory,
    CustomerFactory,
    OpportunityFactory,
    SalespersonFactory,
    quote_with_lines,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_salesperson_prints_a_quote_and_downloads_its_pdf(page, live_server):
    alice = SalespersonFactory(username="alice", first_name="Alice", last_name="Wang")
    customer = CustomerFactory(owner=alice, name="杭州云帆软件科技有限公司")
    ContactFactory(customer=customer, name="吴倩", is_primary=True)
    deal = OpportunityFactory(customer=customer, stage="proposal")
    quote = quote_with_lines(opportunity=deal, lines=((2, "1500.00", "0"),))
    QuoteLine.objects.filter(quote=quote).update(description="数据分析平台许可证")
    log_in(page, live_server, alice)

    page.goto(f"{live_server.url}{quote.get_absolute_url()}")
    pdf_link = page.locator("#download-pdf")
    response = page.request.get(f"{live_server.url}{pdf_link.get_attribute('href')}")
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")

    # The printable page: the letterhead, the customer, the draft's watermark, and Print.
    page.get_by_role("link", name="Printable version").click()
    page.wait_for_load_state()
    expect(page.locator("#letterhead")).to_be_visible()
    expect(page.locator("#customer")).to_contain_text("吴倩")
    expect(page.locator("#lines")).to_contain_text("数据分析平台许可证")
    expect(page.locator("#watermark")).to_have_text("Draft")
    expect(page.locator("#download-pdf")).to_be_visible()
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.printed") == 1
