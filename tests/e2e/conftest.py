"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Every test fails on a browser console error or a Content-Security-Policy violation (Chromium
reports both on the console), so a broken script or an inline handler cannot slip through.
"""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls in the same
# thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "secret-pass-123"  # the factories' password


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture
def browser_problems():
    """Console errors and uncaught exceptions of every page a test opens; it fails on any."""
    problems = []
    yield problems
    assert not problems, "the browser reported errors:\n" + "\n".join(problems)


def watch(page, problems):
    page.on(
        "console",
        lambda message: (
            problems.append(f"{message.type}: {message.text}") if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def page(page, live_server, browser_problems):
    return watch(page, browser_problems)


@pytest.fixture
def second_page(browser, browser_context_args, live_server, browser_problems):
    """A page in a second browser context (its own cookies), for a second user side by side.
    Watched like ``page``: its console errors fail the test too."""
    context = browser.new_context(**browser_context_args)
    yield watch(context.new_page(), browser_problems)
    context.close()


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")
