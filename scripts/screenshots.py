"""Take the README's screenshots from a running server that holds the demo data.

`make screenshots` builds a throwaway SQLite database with the demo data, serves it on a free
loopback port and runs this script against it; run by hand it needs the same:

    .venv/bin/python scripts/screenshots.py --base-url http://127.0.0.1:8000

It drives Debian's Chromium through Playwright (no browser download), logs in as the demo
users and writes PNG files to docs/screenshots/; the first page of a quote's PDF goes through
poppler's pdftoppm. The import pictures need the background
worker beside the server (`make screenshots` starts one: `manage.py run_worker`). It fails when the browser reports a console
error (a broken script or a Content-Security-Policy violation) on any page it opens.
"""

import argparse
import io
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from openpyxl import Workbook
from playwright.sync_api import expect, sync_playwright

PASSWORD = "demo-pass-2026"  # every demo login's password (demo/)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 860}
DASHBOARD = {"width": 1280, "height": 1500}  # its first reports, more than one screen
PHONE = {"width": 390, "height": 844}
IMPORT_DONE = {"width": 1280, "height": 420}  # a short page: no empty screen below it

# A spreadsheet a team brings from its old system: Chinese headers, the columns guessed.
IMPORT_HEADERS = ["客户名称", "联系人", "职务", "手机", "邮箱", "行业", "客户来源"]
IMPORT_FIRST_ROWS = [
    row.split(" | ")
    for row in (
        "苏州恒瑞精密制造有限公司 | 周婷 | 采购经理 | 13912340001 | zhou.ting@hengrui.example | 制造 | 展会",
        "宁波海联国际物流有限公司 | 孙浩 | 运营总监 | 13912340002 | sunhao@hailian.example | 物流 | 官网",
        "杭州云帆软件科技有限公司 | 吴倩 | IT 主管 | 13912340004 | wuqian@yunfan | 科技 | 老客户介绍",
        "青岛北海食品有限公司 | 郑凯 | 总经理 | 13912340005 | zhengkai@beihai.example | 餐饮 | 展会",
        "重庆山城建设集团有限公司 | 冯丽 | 行政经理 | 13912340006 | fengli@shancheng.example | 建筑 | 广告投放",
    )
]
IMPORT_CITIES = ["南京", "天津", "长沙", "合肥", "福州", "昆明", "大连", "无锡"]
IMPORT_TRADES = ["电子", "包装", "医疗器械", "新材料", "冷链", "汽车配件", "纺织", "环保", "仪器"]
IMPORT_PEOPLE = ["林峰", "何静", "高翔", "罗敏", "梁超", "宋洁"]


def import_file(hers: str) -> bytes:
    """An .xlsx of 78 customers: five written out, the second row one she has already (by
    name), the fourth an e-mail without a domain, then 72 more (8 cities x 9 trades)."""
    rows = [*IMPORT_FIRST_ROWS]
    rows.insert(1, [hers, "王磊", "经理", "13912340003", "", "零售", "代理商"])
    for n in range(len(IMPORT_CITIES) * len(IMPORT_TRADES)):
        city, trade = IMPORT_CITIES[n % 8], IMPORT_TRADES[n % 9]
        rows.append(
            [f"{city}{trade}有限公司", IMPORT_PEOPLE[n % 6], "采购", f"1371234{n:04d}", "", "", ""]
        )
    workbook = Workbook()
    for row in [IMPORT_HEADERS, *rows]:
        workbook.active.append(row)
    data = io.BytesIO()
    workbook.save(data)
    return data.getvalue()


class Shooter:
    def __init__(self, browser, base_url: str, out: Path):
        self.browser, self.base_url, self.out = browser, base_url.rstrip("/"), out
        self.problems: list[str] = []
        self.saved: list[Path] = []

    def session(self, username: str, viewport: dict):
        """A fresh browser context logged in as ``username``; its console is watched."""
        context = self.browser.new_context(viewport=viewport, locale="en-US")
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on(
            "console",
            lambda message: (
                self.problems.append(f"{page.url}: {message.text}")
                if message.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: {error}"))
        self.open(page, "/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{self.base_url}/")
        return page

    def open(self, page, path: str):
        page.goto(f"{self.base_url}{path}")
        page.wait_for_load_state("networkidle")

    def shoot(self, page, name: str, *, full_page: bool = False):
        page.wait_for_timeout(300)  # let Bootstrap transitions settle
        path = self.out / f"{name}.png"
        page.screenshot(path=path, full_page=full_page, animations="disabled")
        self.saved.append(path)

    def run(self):
        # The manager: the dashboard, the board, a quote waiting for approval, the Approvals page.
        page = self.session("manager", DESKTOP)
        page.set_viewport_size(DASHBOARD)
        self.open(page, "/")
        page.wait_for_timeout(1000)  # the charts draw after load
        self.shoot(page, "dashboard")
        page.set_viewport_size(DESKTOP)
        self.open(page, "/opportunities/board/")
        self.shoot(page, "board")
        self.open_quote_with_lines(page)
        self.shoot(page, "quote")
        self.save_pdf_first_page(page, "quote-pdf")
        self.open(page, "/approvals/")
        self.shoot(page, "approvals")
        page.context.close()

        # A salesperson: the customer list in Chinese, then My follow-ups on a phone.
        page = self.session("alice", DESKTOP)
        self.open(page, "/customers/")
        with page.expect_navigation():
            page.locator("#language-select").select_option("zh-hans")
        page.wait_for_load_state("networkidle")
        self.shoot(page, "customers-zh")
        page.context.close()

        page = self.session("alice", PHONE)
        self.open(page, "/communications/follow-ups/")
        self.shoot(page, "phone-follow-ups")
        page.context.close()

        # Her import: the preview of a spreadsheet, then the import finished by the worker.
        page = self.session("alice", DESKTOP)
        self.preview_import(page)
        self.shoot(page, "import-preview")
        page.locator("#start-import").click()
        expect(page.locator("#import-status")).to_contain_text("Done", timeout=60_000)
        page.set_viewport_size(IMPORT_DONE)
        self.open(page, page.url.removeprefix(self.base_url))  # without the "started" message
        self.shoot(page, "import-done")
        page.context.close()

    def preview_import(self, page):
        """Upload a spreadsheet with one of her customers in it, keep the guessed mapping,
        open the preview."""
        self.open(page, "/customers/?sort=name")
        hers = page.locator("table tbody tr td:first-child a").first.inner_text()
        self.open(page, "/imports/new/")
        page.locator("#id_file").set_input_files(
            {
                "name": "老系统客户导出.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": import_file(hers),
            }
        )
        page.get_by_role("button", name="Upload and map the columns").click()
        page.get_by_role("button", name="Preview the first rows").click()
        page.wait_for_load_state("networkidle")

    def save_pdf_first_page(self, page, name: str):
        """The first page of the PDF behind the page's "Download PDF" link, as a PNG
        (poppler's pdftoppm, from Debian: `make screenshots` installs it)."""
        response = page.request.get(
            f"{self.base_url}{page.locator('#download-pdf').get_attribute('href')}"
        )
        if response.status != 200 or response.headers["content-type"] != "application/pdf":
            raise SystemExit(f"the PDF of {page.url} did not come: {response.status}")
        with tempfile.TemporaryDirectory() as tmp:
            pdf = Path(tmp) / "document.pdf"
            pdf.write_bytes(response.body())
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "110",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    pdf,
                    self.out / name,
                ],
                check=True,
            )
        self.saved.append(self.out / f"{name}.png")

    def open_quote_with_lines(self, page):
        """The first quote waiting for approval that has lines (the demo data has several)."""
        self.open(page, "/quotes/?status=pending_approval")
        links = page.locator("table tbody tr td:first-child a")
        urls = [links.nth(i).get_attribute("href") for i in range(links.count())]
        for url in urls:
            self.open(page, url)
            if page.locator("#quote-lines tbody tr").count():
                return
        raise SystemExit("no pending quote with lines in the demo data")


def wait_for_server(base_url: str, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{base_url}/accounts/login/", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise SystemExit(
                    f"the server at {base_url} did not answer within {seconds} s"
                ) from None
            time.sleep(0.2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    wait_for_server(args.base_url.rstrip("/"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        shooter = Shooter(browser, args.base_url, args.out)
        try:
            shooter.run()
        finally:
            browser.close()
    for path in shooter.saved:
        print(f"{path} ({path.stat().st_size // 1024} KB)")
    if shooter.problems:
        print("The browser reported errors:", *shooter.problems, sep="\n  ", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
