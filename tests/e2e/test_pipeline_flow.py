from decimal import Decimal

import pytest
from playwright.sync_api import expect

from opportunities.models import Opportunity
from tests.e2e.conftest import log_in
from tests.factories import CustomerFactory, OpportunityFactory, SalespersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_salesperson_opens_a_deal_and_works_it_through_the_board(page, live_server):
    alice = SalespersonFactory(username="alice")
    customer = CustomerFactory(owner=alice, name="Harbor Foods Group")
    OpportunityFactory(customer=customer, name="Existing renewal", stage="qualified", amount=4000)
    log_in(page, live_server, alice)

    # Open a deal from the customer's page: the customer is already chosen.
    page.goto(f"{live_server.url}{customer.get_absolute_url()}")
    page.locator("#timeline").get_by_role("link", name="New opportunity").click()
    expect(page.get_by_label("Customer")).to_have_value(str(customer.pk))
    page.get_by_label("Name").fill("Cold-chain trucks")
    page.get_by_label("Amount").fill("20000")
    page.get_by_label("Expected close date").fill("2030-06-30")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cold-chain trucks")
    deal = Opportunity.objects.get(name="Cold-chain trucks")
    assert (deal.stage, deal.probability) == ("prospecting", 10)

    # Drag it on the board from Prospecting to Proposal; the column totals follow.
    page.locator("#main-nav").get_by_role("link", name="Opportunities").click()
    page.get_by_role("link", name="Board", exact=True).click()
    card = page.locator(f'.board-card[data-id="{deal.pk}"]')
    proposal = page.locator('.board-column[data-stage="proposal"]')
    page.wait_for_load_state()  # its scripts must run before this needs them
    card.drag_to(proposal)
    expect(proposal.locator(f'.board-card[data-id="{deal.pk}"]')).to_be_visible()
    expect(proposal.locator("header")).to_contain_text("CNY 20,000.00")
    deal.refresh_from_db()
    assert (deal.stage, deal.weighted_amount) == ("proposal", Decimal("10000.00"))

    # Without dragging: the card's own "Move" button.
    other = page.locator('.board-card:has-text("Existing renewal")')
    other.get_by_label("Move to").select_option("negotiation")
    other.get_by_role("button", name="Move").click()
    expect(page.locator('.board-column[data-stage="negotiation"]')).to_contain_text(
        "Existing renewal"
    )

    # Lose it with a reason on its page, then reopen it; the history shows both steps.
    page.goto(f"{live_server.url}{deal.get_absolute_url()}")
    page.get_by_role("button", name="Mark lost").click()  # no reason: the browser asks for one
    assert Opportunity.objects.get(pk=deal.pk).stage == "proposal"
    page.get_by_placeholder("Why was it lost?").fill("Budget moved to next year")
    page.get_by_role("button", name="Mark lost").click()
    expect(page.locator("#stage-history")).to_contain_text("Budget moved to next year")
    page.locator("#stage-actions").get_by_role("button", name="Qualified").click()
    expect(page.locator("#stage-history")).to_contain_text("Lost → Qualified")
    deal.refresh_from_db()
    assert (deal.stage, deal.probability, deal.lost_reason) == ("qualified", 25, "")
