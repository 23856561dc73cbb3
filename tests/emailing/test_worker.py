"""A quote e-mail on a real background worker (``manage.py run_worker``, another process on
the test database) and a real SMTP server: sent with its PDF, the quote sent; and an SMTP
server that refuses every message: tried again, then shown failed on the quote's page with
the server's reason, the quote still approved, and a second try possible."""

import pytest
from django.test import Client
from django.urls import reverse

from emailing import services
from emailing.models import QuoteEmail
from quotes import services as quote_services
from quotes.models import Quote
from tests.factories import (
    ContactFactory,
    CustomerFactory,
    ManagerFactory,
    OpportunityFactory,
    SalespersonFactory,
    quote_with_lines,
)
from tests.smtp import smtp_server, worker_env
from tests.worker import running_worker, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scene():
    alice = SalespersonFactory(username="alice")
    customer = CustomerFactory(owner=alice)
    contact = ContactFactory(customer=customer, name="Li Lei", email="li.lei@buyer.test")
    quote = quote_with_lines(opportunity=OpportunityFactory(customer=customer))
    quote_services.submit_quote(quote_id=quote.pk, by=alice)
    quote_services.approve_quote(quote_id=quote.pk, by=ManagerFactory())
    return alice, contact, Quote.objects.get(pk=quote.pk)


def start(quote, alice, contact) -> QuoteEmail:
    return services.start_quote_email(
        quote_id=quote.pk,
        by=alice,
        contact_ids=[contact.pk],
        subject=f"Quote {quote.number}",
        message="Please find our quote attached.",
        language="en",
    )


def current(email) -> QuoteEmail:
    return QuoteEmail.objects.get(pk=email.pk)


def test_the_worker_sends_the_quote_and_the_quote_becomes_sent(scene, tmp_path):
    alice, contact, quote = scene
    with smtp_server() as mailbox:
        email = start(quote, alice, contact)
        with running_worker(tmp_path / "worker.log", **worker_env(mailbox)):
            wait_for(lambda: current(email).is_finished, what="the e-mail to be sent")
    assert current(email).status == "done", (tmp_path / "worker.log").read_text()
    # The approval's notification e-mails went out through the same worker.
    [mail] = [m for m in mailbox.received if "li.lei@buyer.test" in m.recipients]
    assert mail.recipients == ["li.lei@buyer.test"]
    assert mail.attachments[f"{quote.number}.pdf"].startswith(b"%PDF")
    assert Quote.objects.get(pk=quote.pk).status == Quote.Status.SENT


def test_an_smtp_failure_is_retried_then_shown_on_the_quote_page_and_the_quote_stays_approved(
    scene, tmp_path, settings
):
    alice, contact, quote = scene
    with smtp_server() as mailbox:
        mailbox.refuse_with = "554 5.7.1 Relay access denied"
        email = start(quote, alice, contact)
        with running_worker(tmp_path / "worker.log", **worker_env(mailbox)):
            wait_for(lambda: current(email).is_finished, timeout=60, what="the last attempt")
    email = current(email)
    assert email.status == "failed" and email.attempts == settings.CRM_JOB_ATTEMPTS
    assert "554" in email.error and "Relay access denied" in email.error
    assert email.mail_sent_at is None and not mailbox.received
    assert Quote.objects.get(pk=quote.pk).status == Quote.Status.APPROVED

    client = Client()
    client.force_login(alice)
    page = client.get(quote.get_absolute_url()).content.decode()
    assert 'id="quote-email-failed"' in page and "Relay access denied" in page
    assert reverse("emailing:quote", args=[quote.pk]) in page  # "Try again"
    form = client.get(reverse("emailing:quote", args=[quote.pk])).content.decode()
    assert "Please find our quote attached." in form  # what was written, offered again
