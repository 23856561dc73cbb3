"""The whole sales flow of issue 5 in one browser run: a salesperson (Alice) and a manager
(Mei) work side by side, each in a browser context of their own, from a new customer to a
confirmed order on the dashboard, then a filtered export and the Chinese interface.

The database is checked at each step too, not only what the pages say.
"""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from communications.models import Communication
from customers.models import Contact, Customer
from opportunities.models import Opportunity
from orders.models import Order
from quotes.models import Quote
from tests.e2e.conftest import log_in
from tests.factories import (
    CustomerFactory,
    ManagerFactory,
    OpportunityFactory,
    SalespersonFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The first quote, worked out by hand (commercial rounding, half a cent up):
#   2 × 15,000.00 = 30,000.00, less 5 %     → 28,500.00
#   3 ×  1,333.33 =  3,999.99, less 12.5 %  →  3,499.99125 → 3,499.99
SUBTOTAL = Decimal("33999.99")  # 30,000.00 + 3,999.99
DISCOUNT = Decimal("2000.00")  # 1,500.00 + 500.00
TOTAL = Decimal("31999.99")  # 28,500.00 + 3,499.99
# The second quote: 1 × 6,000.00 less 30 % → 4,200.00.
SECOND_TOTAL = Decimal("4200.00")
REJECTION = "30 % off the warranty is too much: 10 % at most."


def fill_line(row, description, quantity, unit_price, discount=""):
    row.get_by_label("Description").fill(description)
    row.get_by_label("Quantity").fill(quantity)
    row.get_by_label("Unit price").fill(unit_price)
    row.get_by_label("Discount %").fill(discount)


def test_from_a_new_customer_to_a_confirmed_order_on_the_dashboard(page, second_page, live_server):
    url = live_server.url
    alice = SalespersonFactory(username="alice", first_name="Alice", last_name="Wang")
    mei = ManagerFactory(username="mei", first_name="Mei", last_name="Chen")
    northwind = CustomerFactory(owner=alice, name="Northwind Trading Ltd")
    # Her other deals are in other columns, so the new deal is alone in Prospecting: a drag
    # that scrolls the page cannot pick up another card.
    OpportunityFactory(
        customer=northwind, name="Cold-chain warehouse", amount=50000, stage="qualified"
    )
    OpportunityFactory(customer=northwind, name="Office chairs", amount=3000, stage="negotiation")
    bob = SalespersonFactory(username="bob", first_name="Bob", last_name="Li")
    OpportunityFactory(customer=CustomerFactory(owner=bob), name="Cold-chain vans")  # not hers
    manager = second_page

    # 1. Alice creates a customer, then meets the duplicate warning with a second one.
    log_in(page, live_server, alice)
    page.locator("#main-nav").get_by_role("link", name="Customers", exact=True).click()
    page.get_by_role("link", name="New customer").click()
    page.get_by_label("Name").fill("Harbor Foods Group")
    page.get_by_label("Status").select_option("prospect")
    page.get_by_label("Phone").fill("+86 138-0013-8000")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbor Foods Group")
    customer = Customer.objects.get(name="Harbor Foods Group")
    assert (customer.owner, customer.status) == (alice, "prospect")

    page.goto(f"{url}/customers/new/")
    page.get_by_label("Name").fill("Harbor Foods (Pudong)")
    page.get_by_label("Phone").fill("0086 13800138000")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#duplicate-warning")).to_contain_text("Harbor Foods Group")
    assert not Customer.objects.filter(name="Harbor Foods (Pudong)").exists()
    page.locator("#id_confirm_duplicate").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbor Foods (Pudong)")
    assert Customer.objects.filter(phone_normalized=customer.phone_normalized).count() == 2

    # A contact on the first customer's page.
    page.goto(f"{url}{customer.get_absolute_url()}")
    page.locator("#id_name").fill("王芳")
    page.locator("#id_title").fill("采购经理")
    page.locator("#id_is_primary").check()
    page.get_by_role("button", name="Add contact").click()
    expect(page.locator("#contacts")).to_contain_text("王芳")
    assert Contact.objects.get(customer=customer).name == "王芳"

    # An opportunity from the customer's page, moved on the board by drag-and-drop.
    page.locator("#timeline").get_by_role("link", name="New opportunity").click()
    expect(page.get_by_label("Customer")).to_have_value(str(customer.pk))
    page.get_by_label("Name").fill("Cold-chain trucks")
    page.get_by_label("Amount").fill(str(TOTAL))
    page.get_by_label("Expected close date").fill("2030-06-30")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cold-chain trucks")
    deal = Opportunity.objects.get(name="Cold-chain trucks")
    assert (deal.customer, deal.owner, deal.stage) == (customer, alice, "prospecting")
    page.locator("#main-nav").get_by_role("link", name="Opportunities").click()
    page.get_by_role("link", name="Board", exact=True).click()
    proposal = page.locator('.board-column[data-stage="proposal"]')
    page.wait_for_load_state()  # its scripts must run before this needs them
    page.locator(f'.board-card[data-id="{deal.pk}"]').drag_to(proposal)
    expect(proposal.locator(f'.board-card[data-id="{deal.pk}"]')).to_be_visible()
    deal.refresh_from_db()
    assert deal.stage == "proposal"

    # A phone call with a follow-up today, logged from the opportunity's page...
    page.goto(f"{url}{deal.get_absolute_url()}")
    page.locator("#communications").get_by_role("link", name="Log communication").click()
    expect(page.get_by_label("Customer")).to_have_value(str(customer.pk))
    expect(page.get_by_label("Opportunity")).to_have_value(str(deal.pk))
    page.get_by_label("Channel").select_option("phone")
    page.get_by_label("Subject").fill("Called Wang Fang about the fleet")
    page.get_by_label("Follow up on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{url}{deal.get_absolute_url()}")
    expect(page.locator("#communications")).to_contain_text("Called Wang Fang about the fleet")
    badge = page.locator("#follow-up-count")
    expect(badge).to_have_text("1")
    call = Communication.objects.get(opportunity=deal)
    assert (call.channel, call.customer, call.follow_up_done) == ("phone", customer, False)

    # ...and ticked done on "My follow-ups".
    page.get_by_role("link", name="My follow-ups").first.click()
    today = page.locator("#today")
    expect(today).to_contain_text("Called Wang Fang about the fleet")
    today.get_by_role("button", name="Done").click()
    expect(today.locator(".follow-up-done")).to_contain_text("Done: Called Wang Fang")
    expect(badge).to_have_text("")
    call.refresh_from_db()
    assert call.follow_up_done

    # 2. A quote with two lines and discounts, from the opportunity's page; the totals.
    page.goto(f"{url}{deal.get_absolute_url()}")
    page.locator("#quotes").get_by_role("link", name="New quote").click()
    expect(page.locator("#quote-opportunity")).to_contain_text("Cold-chain trucks")
    rows = page.locator("#lines tbody tr")
    fill_line(rows.nth(0), "Refrigerated truck", "2", "15000", "5")
    fill_line(rows.nth(1), "Installation and driver training", "3", "1333.33", "12.5")
    page.get_by_role("button", name="Save draft").click()
    quote = Quote.objects.get()
    page.wait_for_url(f"{url}{quote.get_absolute_url()}")
    expect(page.locator("#quote-lines tbody tr")).to_have_count(2)
    expect(page.locator("#quote-lines tbody tr").nth(1)).to_contain_text("CNY 3,499.99")
    expect(page.locator("#quote-subtotal")).to_have_text("CNY 33,999.99")
    expect(page.locator("#quote-totals")).to_contain_text("Discount (5.88%)")
    expect(page.locator("#quote-discount")).to_have_text("−CNY 2,000.00")
    expect(page.locator("#quote-total")).to_have_text("CNY 31,999.99")
    assert (quote.subtotal, quote.discount_total, quote.total) == (SUBTOTAL, DISCOUNT, TOTAL)
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator(".quote-status")).to_have_text("Pending approval")

    # A second quote for the same deal, submitted too.
    page.goto(f"{url}{deal.get_absolute_url()}")
    page.locator("#quotes").get_by_role("link", name="New quote").click()
    fill_line(page.locator("#lines tbody tr").first, "Extended warranty", "1", "6000", "30")
    page.get_by_role("button", name="Save draft").click()
    second = Quote.objects.exclude(pk=quote.pk).get()
    page.wait_for_url(f"{url}{second.get_absolute_url()}")
    expect(page.locator("#quote-total")).to_have_text("CNY 4,200.00")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator(".quote-status")).to_have_text("Pending approval")
    assert set(Quote.objects.values_list("status", "total")) == {
        ("pending_approval", TOTAL),
        ("pending_approval", SECOND_TOTAL),
    }

    # 3. Mei, in her own browser, approves the first quote on the Approvals page...
    log_in(manager, live_server, mei)
    nav_link = manager.locator("#main-nav").get_by_role("link", name=re.compile("Approvals"))
    expect(nav_link.locator("#approvals-count")).to_have_text("2")
    nav_link.click()
    row = manager.locator(f"#approval-quote-{quote.pk}")
    expect(row).to_contain_text("Harbor Foods Group")
    expect(row).to_contain_text("CNY 31,999.99")
    row.get_by_role("button", name="Approve").click()
    expect(row).to_contain_text("Approved by Mei Chen")
    expect(manager.locator("#approvals-count")).to_have_text("1")
    quote.refresh_from_db()
    assert (quote.status, quote.decided_by) == ("approved", mei)

    # ...and rejects the second one in Django admin, with a reason.
    manager.goto(f"{url}/admin/quotes/quote/")
    manager.get_by_role("link", name=second.number).click()
    manager.get_by_label("Reason").fill(REJECTION)
    manager.get_by_role("button", name="Reject").click()
    expect(manager.locator(".messagelist")).to_contain_text(f"Quote {second.number} rejected.")
    second.refresh_from_db()
    assert (second.status, second.decided_by, second.decision_reason) == (
        "rejected",
        mei,
        REJECTION,
    )

    # Alice reads the reason on that quote's page.
    page.goto(f"{url}{second.get_absolute_url()}")
    expect(page.locator(".quote-status")).to_have_text("Rejected")
    expect(page.locator("#rejection")).to_contain_text("Rejected by Mei Chen")
    expect(page.locator("#rejection")).to_contain_text(REJECTION)

    # 4. Alice makes the order from the approved quote and submits it at once.
    page.goto(f"{url}{quote.get_absolute_url()}")
    page.locator("#quote-order").get_by_role(
        "button", name="Create order and submit for approval"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Order SO-"))
    expect(page.locator(".order-status")).to_have_text("Pending approval")
    order = Order.objects.get()
    assert (order.quote, order.status, order.total) == (quote, "pending_approval", TOTAL)
    quote.refresh_from_db()
    assert quote.status == "accepted"

    # Mei confirms it on the Approvals page; the deal is won.
    manager.goto(f"{url}/approvals/")
    row = manager.locator(f"#approval-order-{order.pk}")
    expect(row).to_contain_text(quote.number)
    row.get_by_role("button", name="Approve").click()
    expect(row).to_contain_text("Approved by Mei Chen")
    order.refresh_from_db()
    deal.refresh_from_db()
    assert (order.status, order.decided_by, deal.stage) == ("confirmed", mei, "won")
    page.goto(f"{url}{deal.get_absolute_url()}")
    expect(page.locator(".stage-badge").first).to_have_text("Won")

    # The dashboards show the sale: Alice's won amount, and Mei's sales per salesperson.
    page.goto(f"{url}/")
    expect(page.locator("#report-won")).to_contain_text("CNY 31,999.99")
    manager.goto(f"{url}/")
    # Mei saw the team's figures earlier: they are reused until she asks for new ones.
    expect(manager.locator("#figures-as-of")).to_contain_text("Team figures as of")
    manager.locator("#refresh-figures").click()
    alice_row = manager.locator("#report-sales-by-person tr", has_text="Alice Wang")
    expect(alice_row).to_contain_text("CNY 31,999.99")
    expect(manager.locator("#report-won")).to_contain_text("CNY 31,999.99")

    # 5. Alice filters her opportunities, sorts them, and exports exactly what she sees.
    page.goto(f"{url}/opportunities/")
    page.get_by_label("Search").fill("cold-chain")
    page.get_by_role("button", name="Filter").click()
    page.locator("table thead").get_by_role("link", name="Amount").click()
    page.wait_for_url(re.compile(r"sort=amount"))
    shown = page.locator("table tbody tr td:first-child a").all_inner_texts()
    assert shown == ["Cold-chain trucks", "Cold-chain warehouse"]  # not Bob's vans
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    content = download.value.path().read_text(encoding="utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(content.removeprefix("\ufeff"))))
    assert [row["Name"] for row in rows] == shown
    assert [(row["Stage"], row["Amount"]) for row in rows] == [
        ("Won", "31999.99"),
        ("Qualified", "50000.00"),
    ]

    # 6. In Chinese: the customer list, the quote and the dashboard.
    page.goto(f"{url}/customers/")
    page.wait_for_load_state()  # its scripts must run before this needs them
    page.locator("#language-select").select_option("zh-hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("客户")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("link", name="导出 CSV")).to_be_visible()
    page.goto(f"{url}{quote.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"报价单 {quote.number}")
    expect(page.locator(".quote-status")).to_have_text("已接受")
    expect(page.locator("#quote-totals")).to_contain_text("小计")
    expect(page.locator("#quote-totals")).to_contain_text("合计")
    # Django's zh-Hans number format has no thousands separator: either way is accepted here.
    expect(page.locator("#quote-total")).to_have_text(re.compile(r"^CNY 31,?999\.99$"))
    page.goto(f"{url}/")
    expect(page.locator("#main-nav").get_by_role("link", name="仪表盘")).to_be_visible()
    expect(page.locator("#report-won").get_by_role("heading").first).to_have_text(
        re.compile(r"[\u4e00-\u9fff]")
    )
    expect(page.locator("#report-won")).to_contain_text(re.compile(r"CNY 31,?999\.99"))
