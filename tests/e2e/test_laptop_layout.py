"""A 1280-pixel laptop screen, the narrowest on which the menu bar unfolds: a manager's whole
menu fits on one line (language switch included), and a quote's lines show every column,
the margin too, without scrolling sideways."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from api import crm_api
from tests.e2e.conftest import log_in
from tests.factories import (
    CustomerFactory,
    ManagerFactory,
    OpportunityFactory,
    ProductFactory,
    SalespersonFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1280, "height": 800}

# The right edge of an element, and how far a box that scrolls sideways could scroll.
RIGHT = "(element) => element.getBoundingClientRect().right"
SCROLLS = "(element) => element.scrollWidth - element.clientWidth"


def test_a_managers_menu_and_quote_lines_fit_a_laptop(page, live_server):
    alice = SalespersonFactory(username="alice", first_name="Alice", last_name="Wang")
    manager = ManagerFactory(username="mei", first_name="Mei", last_name="Chen")
    customer = CustomerFactory(owner=alice, name="上海卓越医疗器械有限公司")
    deal = OpportunityFactory(customer=customer, name="年度维保合同")
    box = ProductFactory(name="冷链箱 20L Cold box 20 L", list_price="680.00", cost_price="390.00")
    lines = [
        {"description": "Implementation services", "quantity": 4, "unit_price": "7950.00"},
        {"product": box.pk, "quantity": 2, "discount_percent": "10"},
    ]
    until = timezone.localdate() + timedelta(days=30)
    quote = crm_api.create_quote(opportunity_id=deal.pk, valid_until=until, lines=lines, user=alice)
    crm_api.submit_quote(quote.pk, user=alice)

    page.set_viewport_size(LAPTOP)
    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}{quote.get_absolute_url()}")

    language = page.locator("nav .language-switch select")
    expect(language).to_be_visible()
    assert language.evaluate(RIGHT) <= LAPTOP["width"]
    expect(page.locator("nav").get_by_role("link", name="Approvals")).to_be_visible()

    lines_table = page.locator("#quote-lines .table-responsive")
    expect(lines_table.get_by_role("columnheader", name="Margin")).to_be_visible()
    assert lines_table.evaluate(SCROLLS) <= 0, "the quote's lines scroll sideways"
    expect(lines_table.locator("td.line-margin").last).to_contain_text("CNY 444.00")
