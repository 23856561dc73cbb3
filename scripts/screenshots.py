"""Take the README's screenshots from a running server that holds the demo data.

`make screenshots` builds a throwaway SQLite database with the demo data, serves it on a free
loopback port and runs this script against it; run by hand it needs the same:

    .venv/bin/python scripts/screenshots.py --base-url http://127.0.0.1:8000

It drives Debian's Chromium through Playwright (no browser download), logs in as the demo
users and writes PNG files to docs/screenshots/. It fails when the browser reports a console
error (a broken script or a Content-Security-Policy violation) on any page it opens.
"""

import argparse
import shutil
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

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
