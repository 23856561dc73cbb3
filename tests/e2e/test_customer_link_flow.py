import pytest
from playwright.sync_api import expect

from quotes import public_links
from quotes import services as quote_services
from quotes.models import Quote
from tests.e2e.conftest import log_in
from tests.factories import (
    CustomerFactory,
    ManagerFactory,
    OpportunityFactory,
    SalespersonFactory,
    quote_with_lines,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_customer_accepts_on_the_link_and_the_salesperson_sees_it(page, second_page, live_server):
    alice = SalespersonFactory(username="alice", first_name="Alice", last_name="Wang")
    mei = ManagerFactory(username="mei")
    customer = CustomerFactory(owner=alice, name="Harbor Foods Group")
    deal = OpportunityFactory(customer=customer, name="Cold-chain fleet", stage="proposal")
    quote = quote_with_lines(opportunity=deal, lines=((2, "15000.00", "5"),))
    quote_services.submit_quote(quote_id=quote.pk, by=alice)
    quote_services.approve_quote(quote_id=quote.pk, by=mei)

    # Alice marks it sent; the page now shows the customer's link.
    log_in(page, live_server, alice)
    page.goto(f"{live_server.url}{quote.get_absolute_url()}")
    page.get_by_role("button", name="Mark as sent").click()
    expect(page.locator(".quote-status")).to_have_text("Sent")
    link = page.locator("#customer-link-url").input_value()
    quote.refresh_from_db()
    assert link == f"{live_server.url}{public_links.path_for(quote)}"

    # The customer opens it in a browser of their own, never logged in.
    customer_page = second_page
    customer_page.goto(link)
    expect(customer_page.locator(".sheet-number")).to_have_text(quote.number)
    expect(customer_page.get_by_role("link")).to_have_count(0)  # nothing to follow
    customer_page.get_by_label("Your full name").fill("Li Wei")
    customer_page.get_by_role("button", name="Accept the quote").click()
    expect(customer_page.locator("#quote-closed")).to_contain_text("has been accepted")
    expect(customer_page.locator("#quote-closed")).to_contain_text("Li Wei")
    expect(customer_page.get_by_role("button", name="Accept the quote")).to_have_count(0)

    # Alice's dashboard lists the answer; her quote page shows it accepted, by whom.
    page.goto(f"{live_server.url}/")
    page.locator("#customer-answers").get_by_role("link", name=quote.number).click()
    expect(page.locator(".quote-status")).to_have_text("Accepted")
    expect(page.locator("#customer-answer")).to_contain_text("Li Wei")
    expect(page.locator("#quote-history")).to_contain_text("Accepted online by Li Wei.")
    page.goto(f"{live_server.url}/")
    expect(page.locator("#customer-answers")).to_have_count(0)
    quote.refresh_from_db()
    assert (quote.status, quote.customer_name) == ("accepted", "Li Wei")
    assert Quote.objects.count() == 1
