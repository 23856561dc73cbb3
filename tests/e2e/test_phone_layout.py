"""Every main page fits a phone-sized screen: nothing widens the page sideways (wide tables and
the board scroll inside their own box), no button is cut off, and the filters fold away
behind a "Filters" button that opens them; on a desktop the filters simply show."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from api import crm_api
from tests.e2e.conftest import log_in
from tests.factories import (
    CommunicationFactory,
    ContactFactory,
    CustomerFactory,
    ManagerFactory,
    OpportunityFactory,
    SalespersonFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 900}

# How far the page reaches past the right edge of the screen, and the visible buttons and
# fields of the page that end past it outside a box that scrolls (a table, the board).
MEASURE = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (element) => {
    for (let node = element.parentElement; node && node !== document.body; node = node.parentElement) {
      if (["auto", "scroll"].includes(getComputedStyle(node).overflowX)) return true;
    }
    return false;
  };
  const cut = [...document.querySelectorAll("main .btn, main input, main select, main textarea")]
    .filter((element) => {
      const box = element.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && box.right > width + 1 && !scrolls(element);
    })
    .map((element) => element.outerHTML.slice(0, 120));
  return {overflow: document.documentElement.scrollWidth - width, cut};
}"""


def assert_fits(page, what):
    measured = page.evaluate(MEASURE)
    assert measured["overflow"] <= 0, f"{what} is {measured['overflow']}px wider than the screen"
    assert not measured["cut"], f"{what} cuts off: {measured['cut']}"


def test_main_pages_fit_a_phone_and_the_filters_fold_away(page, live_server):
    alice = SalespersonFactory(username="alice", first_name="Alice", last_name="Wang")
    manager = ManagerFactory(username="mei", first_name="Mei", last_name="Chen")
    customer = CustomerFactory(
        owner=alice, name="Shanghai Pacific International Logistics and Trading Group Co., Ltd."
    )
    ContactFactory(customer=customer, name="Zhang Wei", email="zhang.wei.purchasing@example.com")
    deal = OpportunityFactory(customer=customer, name="Cold-chain fleet renewal", stage="proposal")
    OpportunityFactory(customer=customer, name="Driver training", stage="negotiation")
    communication = CommunicationFactory(
        opportunity=deal,
        subject="Price list sent",
        follow_up_on=timezone.localdate() - timedelta(days=1),
    )
    lines = [
        {"description": "Refrigerated truck", "quantity": 12, "unit_price": "158000.00"},
        {
            "description": "Maintenance",
            "quantity": 12,
            "unit_price": "9000.00",
            "discount_percent": "7.5",
        },
    ]
    until = timezone.localdate() + timedelta(days=30)
    pending = crm_api.create_quote(
        opportunity_id=deal.pk, valid_until=until, lines=lines, user=alice
    )
    crm_api.submit_quote(pending.pk, user=alice)
    ordered = crm_api.create_quote(
        opportunity_id=deal.pk, valid_until=until, lines=lines, user=alice
    )
    crm_api.submit_quote(ordered.pk, user=alice)
    crm_api.approve_quote(ordered.pk, user=manager)
    order = crm_api.create_order(quote_id=ordered.pk, status="pending_approval", user=alice)

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/accounts/login/")
    assert_fits(page, "the login page")
    log_in(page, live_server, manager)
    pages = [
        "/",
        "/customers/",
        customer.get_absolute_url(),
        "/customers/new/",
        "/opportunities/",
        "/opportunities/board/",
        "/opportunities/forecast/",
        deal.get_absolute_url(),
        "/communications/",
        "/communications/follow-ups/",
        communication.get_absolute_url(),
        "/quotes/",
        pending.get_absolute_url(),
        f"/quotes/new/?opportunity={deal.pk}",
        "/orders/",
        order.get_absolute_url(),
        "/approvals/",
    ]
    for path in pages:
        page.goto(f"{live_server.url}{path}")
        assert_fits(page, path)
        if page.locator("#filter-panel").count():
            # Folded away on a phone: the "Filters" button opens the panel.
            expect(page.locator("#filter-panel")).to_be_hidden()
            expect(page.get_by_role("button", name="Filters")).to_be_visible()

    # The quote's total is on screen, not in a column scrolled out of sight.
    page.goto(f"{live_server.url}{pending.get_absolute_url()}")
    total = page.locator("#quote-total").bounding_box()
    assert total["x"] + total["width"] <= PHONE["width"]

    # On a phone the filters open from their button and work; the button names those in use.
    page.goto(f"{live_server.url}/customers/")
    panel = page.locator("#filter-panel")
    page.get_by_role("button", name="Filters").click()
    expect(panel).to_be_visible()
    assert_fits(page, "the customer list with its filters open")
    panel.get_by_label("Search").fill("Pacific")
    panel.get_by_role("button", name="Filter").click()
    expect(page.locator("table tbody tr")).to_have_count(1)
    expect(panel).to_be_hidden()
    expect(page.get_by_role("button", name="Filters")).to_contain_text("Search")

    # On a desktop the same list shows its filters, with no button to open them.
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/customers/")
    expect(page.locator("#filter-panel")).to_be_visible()
    expect(page.locator(".filter-toggle")).to_be_hidden()
    expect(page.get_by_label("Search")).to_be_editable()
