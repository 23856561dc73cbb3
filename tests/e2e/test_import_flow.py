"""The import of issue 11 in a browser, on a real background worker: a salesperson uploads an
Excel file with Chinese headers, corrects the guessed mapping, previews the first rows (a bad
e-mail, a customer she already has), starts the import, watches the progress update itself
(htmx, no page reload), downloads the result file and undoes the whole import. And the
progress bar, refreshed every second, never flashes empty.
"""

import csv
import io
import re
from collections import Counter

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from customers.models import Customer
from imports import services
from imports.models import ImportRun
from tests.e2e.conftest import log_in
from tests.factories import CustomerFactory, SalespersonFactory
from tests.imports.files import csv_bytes, xlsx_bytes
from tests.worker import running_worker

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HEADERS = ["客户名称", "电话", "邮箱", "联系人", "所在城市"]
CITIES = ["上海", "北京", "深圳", "杭州", "成都", "武汉"]
TRADES = ["贸易", "科技", "物流", "机械", "食品"]
CONTACTS = ["王芳", "李伟", "张敏", "刘洋", "陈静", "杨磊"]
EXISTING = "华东精密机械有限公司"
# Rows as Excel numbers them (the header is row 1); both are among the 20 the preview shows.
DUPLICATE_ROW, BAD_EMAIL_ROW = 4, 6


def customer_rows() -> list[list[str]]:
    """30 customers (6 cities x 5 trades: every name differs), one a customer of hers
    already, one with an e-mail that is not one."""
    rows = [
        [
            f"{CITIES[n % 6]}{TRADES[n % 5]}有限公司",
            f"138{n:08d}",
            f"buyer{n:02d}@example.cn",
            CONTACTS[n % 6],
            f"{CITIES[n % 6]}市",
        ]
        for n in range(30)
    ]
    rows[DUPLICATE_ROW - 2][:3] = [EXISTING, "021 5555 0101", "buy@huadong.example"]
    rows[BAD_EMAIL_ROW - 2][2] = "buyer.at.example.cn"
    return rows


def test_salesperson_imports_an_excel_file_watches_it_run_and_undoes_it(
    page, live_server, tmp_path
):
    url = live_server.url
    alice = SalespersonFactory(username="alice", first_name="Alice", last_name="Wang")
    existing = CustomerFactory(
        owner=alice, name=EXISTING, email="buy@huadong.example", phone="021 5555 0101"
    )
    rows = customer_rows()
    log_in(page, live_server, alice)

    # 1. Upload: an .xlsx from the Import menu.
    page.locator("#main-nav").get_by_role("link", name="Import").click()
    page.get_by_role("link", name="Import a file").click()
    expect(page.get_by_label("What the file holds")).to_have_value("customers")
    page.locator("#id_file").set_input_files(
        {
            "name": "客户名单.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": xlsx_bytes([HEADERS, *rows]),
        }
    )
    page.get_by_role("button", name="Upload and map the columns").click()

    # 2. The mapping guessed from the Chinese headers; the city goes into the address.
    expect(page.get_by_role("heading", level=1)).to_have_text("Map the columns")
    expect(page.locator("main")).to_contain_text("客户名单.xlsx: 30 rows of Customers and contacts")
    guessed = {"客户名称": "name", "电话": "phone", "邮箱": "email", "联系人": "contact_name"}
    for header, field in {**guessed, "所在城市": ""}.items():
        expect(page.get_by_label(header, exact=True)).to_have_value(field)
    page.get_by_label("所在城市", exact=True).select_option(label="Address")
    expect(page.get_by_label("Skip the row")).to_be_checked()
    page.get_by_role("button", name="Preview the first rows").click()

    # 3. The preview: 20 rows, the bad e-mail fails, her customer is skipped; nothing stored.
    expect(page.get_by_role("heading", level=1)).to_have_text("Preview")
    preview = page.locator("#preview tbody tr")
    expect(preview).to_have_count(20)
    bad = preview.nth(BAD_EMAIL_ROW - 2)
    expect(bad).to_contain_text("“buyer.at.example.cn” is not a valid e-mail address.")
    expect(bad.locator(".badge")).to_have_text("Fail")
    duplicate = preview.nth(DUPLICATE_ROW - 2)
    expect(duplicate).to_contain_text(f"Matches customer “{EXISTING}” ({existing.pk}).")
    expect(duplicate.locator(".badge")).to_have_text("Skip")
    expect(preview.first).to_contain_text("上海市")  # the column she mapped
    expect(preview.first.locator(".badge")).to_have_text("Create")
    assert Customer.objects.count() == 1

    # 4. Start: the import waits for the worker, and the page asks for its progress.
    page.get_by_role("button", name="Import 30 rows").click()
    run = ImportRun.objects.get()
    page.wait_for_url(f"{url}{run.get_absolute_url()}")
    expect(page.locator(".alert")).to_contain_text("The import runs in the background")
    expect(page.locator("main")).to_contain_text("uploaded by Alice Wang")
    progress = page.locator("#import-progress")
    expect(progress.locator("#import-status")).to_contain_text("Waiting to run")
    expect(progress).to_have_attribute("hx-trigger", "every 1s")
    page.evaluate("window.stillTheSamePage = true")

    with running_worker(tmp_path / "worker.log"):
        expect(progress.locator("#import-status")).to_contain_text("Done", timeout=20_000)

    # Updated in place: the same page (no reload), the bar full, the polling over.
    assert page.evaluate("window.stillTheSamePage") is True
    expect(progress.locator("#import-counts")).to_have_text(
        "30 of 30 rows: 28 created, 0 updated, 1 skipped, 1 failed."
    )
    bar = progress.locator(".progress-bar")
    expect(bar).to_have_attribute("style", "width: 100%;")  # set by progress.js (CSP)
    expect(bar).not_to_have_class(re.compile("progress-bar-animated"))
    expect(progress).not_to_have_attribute("hx-trigger", "every 1s")
    created = Customer.objects.filter(owner=alice).exclude(pk=existing.pk)
    assert created.count() == 28
    assert created.get(name="上海贸易有限公司").address == "上海市"

    # 5. The result file: every row of the file with its outcome.
    with page.expect_download() as download:
        progress.get_by_role("link", name="Download the result (CSV)").click()
    assert download.value.suggested_filename.endswith("-result.csv")
    content = download.value.path().read_text(encoding="utf-8")
    result = list(csv.DictReader(io.StringIO(content.removeprefix("\ufeff"))))
    assert [int(row["Row"]) for row in result] == list(range(2, 32))
    assert [row["客户名称"] for row in result] == [row[0] for row in rows]
    assert Counter(row["Outcome"] for row in result) == {"Created": 28, "Skipped": 1, "Failed": 1}
    outcome = {int(row["Row"]): row for row in result}
    assert outcome[BAD_EMAIL_ROW]["Outcome"] == "Failed"
    assert "not a valid e-mail address" in outcome[BAD_EMAIL_ROW]["Message"]
    assert outcome[DUPLICATE_ROW]["Outcome"] == "Skipped"
    assert outcome[DUPLICATE_ROW]["Record"] == f"customers.customer:{existing.pk}"

    # Her customer list holds the 28 imported customers besides the one she had...
    page.locator("#main-nav").get_by_role("link", name="Customers", exact=True).click()
    expect(page.locator("main")).to_contain_text("1–25 of 29")
    expect(page.locator("table tbody tr").first).to_contain_text("buyer29@example.cn")

    # 6. ...until she undoes the import: only the customer she had is left.
    page.locator("#main-nav").get_by_role("link", name="Import").click()
    page.locator("#import-list").get_by_role("link", name="客户名单.xlsx").click()
    page.get_by_role("button", name="Undo this import").click()
    expect(page.locator(".alert")).to_contain_text("The import has been undone.")
    expect(page.locator("#import-status")).to_contain_text("Undone")
    expect(page.locator("#import-status")).to_contain_text("by Alice Wang")
    expect(page.get_by_role("button", name="Undo this import")).to_have_count(0)
    page.locator("#main-nav").get_by_role("link", name="Customers", exact=True).click()
    names = page.locator("table tbody tr td:first-child a")
    expect(names).to_have_text([EXISTING])
    assert list(Customer.objects.values_list("pk", flat=True)) == [existing.pk]


# Each new progress part as htmx puts it in the page: how wide its bar is (% of the track).
WATCH_THE_BAR = """() => {
  window.barWidths = [];
  new MutationObserver(() => {
    const bar = document.querySelector("#import-progress .progress-bar");
    const track = bar.parentElement.getBoundingClientRect().width;
    window.barWidths.push(Math.round(bar.getBoundingClientRect().width * 100 / track));
  }).observe(document.querySelector("#import-progress").parentElement, {childList: true});
}"""


def test_the_progress_bar_keeps_its_width_each_time_the_page_asks_for_news(page, live_server):
    alice = SalespersonFactory(username="alice")
    file = ContentFile(csv_bytes([["Name"], *([f"Customer {n}"] for n in range(10))]))
    run = services.upload(by=alice, kind="customers", file=file, file_name="customers.csv")
    # Four rows of ten done, on a worker that is busy elsewhere: the page keeps asking.
    ImportRun.objects.filter(pk=run.pk).update(
        confirmed_at=timezone.now(), status="running", next_row=4, heartbeat_at=timezone.now()
    )
    log_in(page, live_server, alice)
    page.goto(f"{live_server.url}{run.get_absolute_url()}")
    expect(page.locator("#import-counts")).to_contain_text("4 of 10 rows")

    page.evaluate(WATCH_THE_BAR)
    page.wait_for_function("() => window.barWidths.length >= 2")

    # Never put in empty, to be widened by progress.js a moment later (a flash every second).
    widths = page.evaluate("window.barWidths")
    assert widths == [40] * len(widths)
