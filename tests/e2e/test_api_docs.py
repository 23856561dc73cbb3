"""The HTTP API's docs page in a real browser: Swagger UI runs from our static files under
the site's Content-Security-Policy (a violation or a script error fails the test)."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_page_lists_the_endpoints(page, live_server):
    page.goto(f"{live_server.url}/api/v1/docs")
    page.locator(".opblock-tag", has_text="quotes").first.wait_for()
    assert page.locator(".opblock").count() > 20
