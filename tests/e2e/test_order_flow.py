import re

import pytest
from playwright.sync_api import expect

from orders.models import Order
from quotes import services as quote_services
from tests.e2e.conftest import log_in
from tests.factories import (
    CustomerFactory,
    ManagerFactory,
    OpportunityFactory,
    SalespersonFactory,
    quote_with_lines,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_order_from_approved_quote_to_completion(page, live_server):
    alice = SalespersonFactory(username="alice", first_name="Alice", last_name="Wang")
    mei = ManagerFactory(username="mei", first_name="Mei", last_name="Chen")
    customer = CustomerFactory(owner=alice, name="Harbor Foods Group")
    deal = OpportunityFactory(customer=customer, name="Cold-chain trucks", stage="negotiation")
    quote = quote_with_lines(opportunity=deal, lines=((2, "15000.00", "5"),))
    quote_services.submit_quote(quote_id=quote.pk, by=alice)
    # Approved by another manager, so that Mei may approve the order (four eyes).
    quote_services.approve_quote(quote_id=quote.pk, by=ManagerFactory())

    # Alice makes the order on the quote's page, then submits it from the order's page.
    log_in(page, live_server, alice)
    page.goto(f"{live_server.url}{quote.get_absolute_url()}")
    panel = page.locator("#quote-order")
    expect(panel.get_by_role("button", name="Create as confirmed")).to_have_count(0)
    panel.get_by_label("Order notes (optional)").fill("Deliver to the Pudong warehouse")
    panel.get_by_role("button", name="Create draft order").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Order SO-"))
    order = Order.objects.get(quote=quote)
    assert (order.status, order.total, order.notes) == (
        "draft",
        quote.total,
        "Deliver to the Pudong warehouse",
    )
    expect(page.locator("#order-lines")).to_contain_text("CNY 28,500.00")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator(".order-status")).to_have_text("Pending approval")
    expect(page.locator("#order-actions").get_by_role("button", name="Approve")).to_have_count(0)

    # Mei approves it on the Approvals page, in place.
    page.context.clear_cookies()
    log_in(page, live_server, mei)
    nav_link = page.locator("#main-nav").get_by_role("link", name=re.compile("Approvals"))
    expect(nav_link.locator("#approvals-count")).to_have_text("1")
    nav_link.click()
    row = page.locator(f"#approval-order-{order.pk}")
    expect(row).to_contain_text("Harbor Foods Group")
    row.get_by_role("button", name="Approve").click()
    expect(row).to_contain_text("Approved by Mei Chen")
    expect(page.locator("#approvals-count")).to_have_text("")
    assert page.url == f"{live_server.url}/approvals/"
    expect(page.locator(".alert")).to_have_count(0)  # no reload: no flash message
    order.refresh_from_db()
    assert (order.status, order.decided_by) == ("confirmed", mei)

    # The deal is won.
    page.goto(f"{live_server.url}{deal.get_absolute_url()}")
    expect(page.locator(".stage-badge").first).to_have_text("Won")

    # Alice follows the order to completion.
    page.context.clear_cookies()
    log_in(page, live_server, alice)
    page.goto(f"{live_server.url}{order.get_absolute_url()}")
    steps = page.locator("#fulfilment li")
    expect(steps.nth(0)).to_contain_text(re.compile(r"Confirmed\s+\d{4}-\d{2}-\d{2}"))
    expect(steps.nth(1)).to_contain_text("not yet")
    page.get_by_role("button", name="Mark fulfilled").click()
    expect(page.locator(".order-status")).to_have_text("Fulfilled")
    expect(steps.nth(1)).to_contain_text(re.compile(r"Fulfilled\s+\d{4}-\d{2}-\d{2}"))
    page.get_by_role("button", name="Mark completed").click()
    expect(page.locator(".order-status")).to_have_text("Completed")
    expect(steps.nth(2)).to_contain_text(re.compile(r"Completed\s+\d{4}-\d{2}-\d{2}"))
    expect(page.locator("#order-history")).to_contain_text("Fulfilled → Completed")
    expect(page.locator("#order-actions")).to_have_count(0)
    order.refresh_from_db()
    assert order.status == "completed" and order.completed_at is not None
