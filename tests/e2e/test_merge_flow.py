import pytest
from playwright.sync_api import expect

from customers.models import Customer
from tests.e2e.conftest import log_in
from tests.factories import CustomerFactory, OpportunityFactory, SalespersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_salesperson_finds_a_duplicate_and_merges_it(page, live_server):
    alice = SalespersonFactory(username="alice", first_name="Alice", last_name="Wang")
    kept = CustomerFactory(
        owner=alice,
        name="Northwind Trading Ltd",
        email="buyer@northwind.example",
        phone="",
        rating="C",
    )
    duplicate = CustomerFactory(
        owner=alice, name="NORTHWIND  Trading Ltd", email="", phone="+86 21 5555 0101", rating="A"
    )
    OpportunityFactory(customer=duplicate, name="Warehouse racks")
    CustomerFactory.create_batch(2, owner=SalespersonFactory(), name="Northwind Trading Ltd")
    log_in(page, live_server, alice)

    # From the customer list to the likely pairs: only hers, the teammate's twins are not.
    page.get_by_role("link", name="Customers", exact=True).first.click()
    page.get_by_role("link", name="Possible duplicates").click()
    pairs = page.locator("#duplicate-pairs tbody tr")
    expect(pairs).to_have_count(1)
    expect(pairs.first).to_contain_text("same name")
    expect(pairs.first).to_contain_text("NORTHWIND  Trading Ltd")

    # Compare them side by side: her phone is empty, so the duplicate's is offered; she
    # chooses the duplicate's rating too.
    pairs.first.get_by_role("link", name="Compare and merge").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare and merge")
    fields = page.locator("#merge-fields")
    expect(fields.get_by_role("radio", name="+86 21 5555 0101")).to_be_checked()
    expect(fields.get_by_role("radio", name="C · regular")).to_be_checked()
    fields.get_by_role("radio", name="A · key account").check()
    page.get_by_role("button", name="Merge “NORTHWIND  Trading Ltd” into").click()

    # The customer kept shows the deal that moved over and the merge in its history.
    page.wait_for_url(f"{live_server.url}{kept.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Northwind Trading Ltd")
    expect(page.locator("main")).to_contain_text("Warehouse racks")
    history = page.locator("#merge-history")
    expect(history).to_contain_text("NORTHWIND  Trading Ltd")
    expect(history).to_contain_text("1 opportunity")
    expect(page.locator("main")).to_contain_text("+86 21 5555 0101")
    expect(page.locator("main")).to_contain_text("Rating A")

    # The duplicate's own page says where it went.
    page.goto(f"{live_server.url}{duplicate.get_absolute_url()}")
    page.locator("#merged-into").get_by_role("link", name="Northwind Trading Ltd").click()
    page.wait_for_url(f"{live_server.url}{kept.get_absolute_url()}")
    assert Customer.objects.get(pk=duplicate.pk).merged_into_id == kept.pk
