from decimal import Decimal

import pytest
from playwright.sync_api import expect

from quotes.models import Quote
from tests.e2e.conftest import log_in
from tests.factories import (
    CustomerFactory,
    ManagerFactory,
    OpportunityFactory,
    SalespersonFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_out(page):
    page.locator("#main-nav .dropdown-toggle").click()
    page.locator("#main-nav").get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()


def test_salesperson_quotes_a_deal_and_a_manager_approves_it(page, live_server):
    alice = SalespersonFactory(username="alice", first_name="Alice", last_name="Wang")
    mei = ManagerFactory(username="mei", first_name="Mei", last_name="Chen")
    customer = CustomerFactory(owner=alice, name="Harbor Foods Group")
    deal = OpportunityFactory(customer=customer, name="Cold-chain fleet", stage="proposal")
    log_in(page, live_server, alice)

    # From the opportunity's page: a new quote with two lines, one of them discounted.
    page.goto(f"{live_server.url}{deal.get_absolute_url()}")
    page.locator("#quotes").get_by_role("link", name="New quote").click()
    expect(page.locator("#quote-opportunity")).to_contain_text("Cold-chain fleet")
    expect(page.locator("#quote-opportunity")).to_contain_text("Harbor Foods Group")
    rows = page.locator("#lines tbody tr")
    expect(rows).to_have_count(3)
    page.wait_for_load_state()  # its scripts must run before this needs them
    page.get_by_role("button", name="Add line").click()
    expect(rows).to_have_count(4)
    first, second = rows.nth(0), rows.nth(1)
    first.get_by_label("Description").fill("Refrigerated truck")
    first.get_by_label("Quantity").fill("2")
    first.get_by_label("Unit price").fill("15000")
    first.get_by_label("Discount %").fill("5")
    second.get_by_label("Description").fill("Driver training")
    second.get_by_label("Quantity").fill("1")
    second.get_by_label("Unit price").fill("2000")
    page.get_by_label("Terms").fill("Delivery within 8 weeks.")
    page.get_by_role("button", name="Save draft").click()

    # The quote's page shows the lines and the totals worked out by the server.
    quote = Quote.objects.get()
    page.wait_for_url(f"{live_server.url}{quote.get_absolute_url()}")
    expect(page.locator("#quote-lines tbody tr")).to_have_count(2)
    expect(page.locator("#quote-subtotal")).to_have_text("CNY 32,000.00")
    expect(page.locator("#quote-discount")).to_have_text("−CNY 1,500.00")
    expect(page.locator("#quote-total")).to_have_text("CNY 30,500.00")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator(".quote-status")).to_have_text("Pending approval")
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)
    log_out(page)

    # The manager approves it on the quote's page.
    log_in(page, live_server, mei)
    page.goto(f"{live_server.url}{quote.get_absolute_url()}")
    page.get_by_placeholder("Note (optional)").fill("Margin is fine")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".quote-status")).to_have_text("Approved")
    expect(page.locator("#quote-history")).to_contain_text("Margin is fine")
    log_out(page)

    # Alice sees it approved, and can send it.
    log_in(page, live_server, alice)
    page.goto(f"{live_server.url}{quote.get_absolute_url()}")
    expect(page.locator(".quote-status")).to_have_text("Approved")
    expect(page.locator("#quote-history")).to_contain_text("Mei Chen")
    expect(page.get_by_role("button", name="Mark as sent")).to_be_visible()
    quote.refresh_from_db()
    assert (quote.status, quote.decided_by, quote.total) == ("approved", mei, Decimal("30500.00"))
