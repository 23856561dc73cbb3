"""Sending a quote by e-mail in a browser, on a real background worker and a real SMTP server
on 127.0.0.1: the salesperson opens her approved quote, chooses a contact, sends; the page
says "sending…" and updates itself (htmx) when the worker has sent it; the quote is sent, and
the SMTP server received the mail with the customer's link and the PDF."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from quotes import public_links
from quotes import services as quote_services
from quotes.models import Quote
from tests.e2e.conftest import log_in
from tests.factories import (
    ContactFactory,
    CustomerFactory,
    ManagerFactory,
    OpportunityFactory,
    SalespersonFactory,
    quote_with_lines,
)
from tests.smtp import smtp_server, worker_env
from tests.worker import running_worker

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_salesperson_emails_an_approved_quote_and_the_customer_receives_the_pdf(
    page, live_server, tmp_path, settings
):
    settings.CRM_SITE_URL = live_server.url
    alice = SalespersonFactory(username="alice", first_name="Alice", last_name="Wang")
    customer = CustomerFactory(owner=alice, name="Harbor Foods Group")
    ContactFactory(customer=customer, name="Zhang Min", email="zhang.min@harbor.test")
    ContactFactory(customer=customer, name="Liu Yang", email="liu.yang@harbor.test")
    quote = quote_with_lines(opportunity=OpportunityFactory(customer=customer))
    quote_services.submit_quote(quote_id=quote.pk, by=alice)
    quote_services.approve_quote(quote_id=quote.pk, by=ManagerFactory())

    with (
        smtp_server() as mailbox,
        running_worker(
            tmp_path / "worker.log", CRM_SITE_URL=live_server.url, **worker_env(mailbox)
        ),
    ):
        log_in(page, live_server, alice)
        page.goto(f"{live_server.url}{quote.get_absolute_url()}")
        page.get_by_role("link", name="Send by e-mail").click()
        expect(page.get_by_label("Subject")).to_have_value(
            f"Quote {quote.number} from Demo Trading Co., Ltd."
        )
        page.get_by_label("Liu Yang <liu.yang@harbor.test>").check()
        page.get_by_role("button", name="Send").click()

        expect(page.locator(".alert-success")).to_contain_text("is being sent")
        # The worker sends it; the panel, polled, reloads the page with the quote sent.
        expect(page.locator("#quote-email-sent")).to_contain_text(
            "liu.yang@harbor.test", timeout=30_000
        )
        expect(page.locator(".quote-status")).to_have_text("Sent")

    quote = Quote.objects.get(pk=quote.pk)
    assert quote.status == Quote.Status.SENT
    [mail] = [m for m in mailbox.received if "liu.yang@harbor.test" in m.recipients]
    assert mail.recipients == ["liu.yang@harbor.test"]
    assert live_server.url + public_links.path_for(quote) in mail.text
    pdf = mail.attachments[f"{quote.number}.pdf"]
    assert pdf.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert quote.number in text and "Harbor Foods Group" in text
