from decimal import Decimal

import pytest
from playwright.sync_api import expect

from quotes.models import Quote
from tests.e2e.conftest import log_in
from tests.factories import CustomerFactory, OpportunityFactory, ProductFactory, SalespersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_salesperson_builds_a_quote_from_a_searched_product_and_sees_tax_per_rate(
    page, live_server
):
    alice = SalespersonFactory(username="alice", first_name="Alice", last_name="Wang")
    customer = CustomerFactory(owner=alice, name="Harbor Foods Group")
    deal = OpportunityFactory(customer=customer, name="Cold-chain fleet", stage="proposal")
    ProductFactory(
        sku="CC-SNS-T1",
        name="温度传感器 Temperature sensor",
        unit="个",
        list_price=Decimal("320.00"),
        cost_price=Decimal("150.00"),
        tax_rate=Decimal("13"),
    )
    ProductFactory.create_batch(3, name="Unrelated pallet")
    log_in(page, live_server, alice)

    page.goto(f"{live_server.url}/quotes/new/?opportunity={deal.pk}")
    page.wait_for_load_state()
    rows = page.locator("#lines tbody tr")
    first, second = rows.nth(0), rows.nth(1)
    # Typing part of the name offers the product; picking it fills the line.
    first.get_by_label("Description").press_sequentially("sensor")
    suggestion = first.get_by_role("option", name="CC-SNS-T1 · 温度传感器 Temperature sensor")
    expect(suggestion).to_be_visible()
    expect(first.get_by_role("option")).to_have_count(1)
    suggestion.click()
    expect(first.get_by_label("Description")).to_have_value("温度传感器 Temperature sensor")
    expect(first.get_by_label("Unit price")).to_have_value("320.00")
    expect(first.get_by_label("Tax %")).to_have_value("13.00")
    expect(first.get_by_label("Unit", exact=True)).to_have_value("个")
    first.get_by_label("Quantity").fill("10")
    # A free-text line at another rate.
    second.get_by_label("Description").fill("安装调试 Installation")
    second.get_by_label("Quantity").fill("2")
    second.get_by_label("Unit price").fill("1800")
    second.get_by_label("Tax %").fill("6")
    page.get_by_role("button", name="Save draft").click()

    quote = Quote.objects.get()
    page.wait_for_url(f"{live_server.url}{quote.get_absolute_url()}")
    totals = page.locator("#quote-totals")
    expect(totals).to_contain_text("Tax 6% on CNY 3,600.00")
    expect(totals).to_contain_text("Tax 13% on CNY 3,200.00")
    expect(page.locator("#quote-net")).to_have_text("CNY 6,800.00")
    expect(page.locator("#quote-total")).to_have_text("CNY 7,432.00")
    expect(page.locator("#quote-margin")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text("150.00")
    line = quote.lines.get(position=1)
    assert (line.product.sku, line.cost_price, quote.total) == (
        "CC-SNS-T1",
        Decimal("150.00"),
        Decimal("7432.00"),
    )
