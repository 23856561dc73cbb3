import csv
import io

import pytest
from playwright.sync_api import expect

from customers.models import Contact, Customer
from tests.e2e.conftest import log_in
from tests.factories import CustomerFactory, SalespersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_salesperson_manages_customers_in_the_browser(page, live_server):
    alice = SalespersonFactory(username="alice")
    CustomerFactory(owner=alice, name="Northwind Trading Ltd", status="active")
    CustomerFactory.create_batch(3, owner=SalespersonFactory())  # a teammate's, never shown
    log_in(page, live_server, alice)

    # Create a customer.
    page.get_by_role("link", name="Customers", exact=True).first.click()
    page.get_by_role("link", name="New customer").click()
    page.get_by_label("Name").fill("上海华腾科技有限公司")
    page.get_by_label("Status").select_option("prospect")
    page.get_by_label("Phone").fill("+86 138-0013-8000")
    page.get_by_label("E-mail").fill("buyer@huateng.example.cn")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("上海华腾科技有限公司")

    # Add a contact on the customer's page.
    page.locator("#id_name").fill("王芳")
    page.locator("#id_title").fill("采购经理")
    page.locator("#id_is_primary").check()
    page.get_by_role("button", name="Add contact").click()
    expect(page.locator("#contacts")).to_contain_text("王芳")
    assert Contact.objects.get(name="王芳").is_primary

    # The same phone written differently is flagged, and saved only once confirmed.
    page.goto(f"{live_server.url}/customers/new/")
    page.get_by_label("Name").fill("Huateng Shanghai")
    page.get_by_label("Phone").fill("0086 13800138000")
    page.get_by_role("button", name="Save").click()
    warning = page.locator("#duplicate-warning")
    expect(warning).to_contain_text("上海华腾科技有限公司")
    assert not Customer.objects.filter(name="Huateng Shanghai").exists()
    page.locator("#id_confirm_duplicate").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Huateng Shanghai")

    # Filter the list and export exactly what it shows.
    page.goto(f"{live_server.url}/customers/")
    page.get_by_label("Search").fill("华腾")
    page.get_by_role("button", name="Filter").click()
    shown = page.locator("table tbody tr td:first-child a").all_inner_texts()
    assert shown == ["上海华腾科技有限公司"]
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export CSV").click()
    content = download_info.value.path().read_text(encoding="utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(content.lstrip("\ufeff"))))
    assert [row["Name"] for row in rows] == shown
    assert rows[0]["Status"] == "Prospect"

    # Switch the interface to Chinese.
    page.wait_for_load_state()  # its scripts must run before this needs them
    page.locator("#language-select").select_option("zh-hans")
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("客户")
