from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from communications.models import Communication
from tests.e2e.conftest import log_in
from tests.factories import CommunicationFactory, CustomerFactory, SalespersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_salesperson_logs_a_call_and_ticks_follow_ups_off_in_place(page, live_server):
    alice = SalespersonFactory(username="alice")
    customer = CustomerFactory(owner=alice, name="Northwind Trading Ltd")
    today = timezone.localdate()
    overdue = CommunicationFactory(
        customer=customer, subject="Send the price list", follow_up_on=today - timedelta(days=2)
    )
    log_in(page, live_server, alice)
    badge = page.locator("#follow-up-count")
    expect(badge).to_have_text("1")

    # Log a call from the customer's page, with a follow-up today.
    page.goto(f"{live_server.url}{customer.get_absolute_url()}")
    page.locator("#timeline").get_by_role("link", name="Log communication").click()
    expect(page.get_by_label("Customer")).to_have_value(str(customer.pk))
    page.get_by_label("Subject").fill("Called the buyer")
    page.get_by_label("Content").fill("They want a demo next week.")
    page.get_by_label("Follow up on").fill(today.isoformat())
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}{customer.get_absolute_url()}")
    expect(page.locator("#timeline")).to_contain_text("Called the buyer")
    expect(badge).to_have_text("2")

    # Tick both off on "My follow-ups" without leaving the page (htmx).
    page.get_by_role("link", name="My follow-ups").first.click()
    expect(page.locator("#overdue")).to_contain_text(overdue.subject)
    page.locator("#overdue").get_by_role("button", name="Done").click()
    expect(page.locator("#overdue")).to_contain_text(f"Done: {overdue.subject}")
    expect(badge).to_have_text("1")
    page.locator("#today").get_by_role("button", name="Done").click()
    expect(page.locator("#today .follow-up-done")).to_be_visible()
    expect(badge).to_have_text("")
    assert not Communication.objects.filter(follow_up_done=False).exists()

    # Undo brings the follow-up back.
    page.locator("#today").get_by_role("button", name="Undo").click()
    expect(page.locator("#today").get_by_role("button", name="Done")).to_be_visible()
    expect(badge).to_have_text("1")
