"""The customer's link: no login, this revision only, accept by typing a name or decline with
a reason; anything else accepts nothing, and a wrong token is the site's ordinary 404."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from quotes import public_links, services
from quotes.models import Quote, QuoteLine
from tests.factories import ContactFactory, EndpointFactory
from webhooks.models import Event

pytestmark = pytest.mark.django_db
CENT = Decimal("0.01")


@pytest.fixture
def customer_client():
    """A browser with no session, as the customer opens the e-mail's link."""
    return Client(REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Mail/1.0")


def link(quote):
    return public_links.path_for(quote)


def answer(client, quote, action, **data):
    kwargs = {"token": public_links.token_for(quote), "action": action}
    return client.post(reverse("public_quotes:answer", kwargs=kwargs), data)


def without_csrf(text: str) -> str:
    """The page without its per-request values (CSRF tokens, script nonces, the language form's "next")."""
    return re.sub(r'(value=|nonce=|"X-CSRFToken": )"[^"]*"', "", text)


def test_a_sent_quote_has_a_link_the_customer_opens_without_logging_in(customer_client, sent):
    response = customer_client.get(link(sent))
    assert response.status_code == 200
    text = response.text
    assert sent.number in text and "Accept the quote" in text
    assert response["Referrer-Policy"] == "same-origin"  # the token never leaves the site
    assert "noindex" in response["X-Robots-Tag"] and 'name="robots" content="noindex' in text
    assert "no-store" in response["Cache-Control"]
    # Nothing but the quote: no internal notes, no address inside the CRM.
    assert "/quotes/" not in text and "/customers/" not in text and 'href="/"' not in text
    assert "Back to the quote" not in text


def test_the_customers_page_shows_the_same_sheet_as_the_pdf(customer_client, sent):
    """Letterhead, the contact it is for, and the tax per rate, as printed."""
    line = sent.lines.first()
    QuoteLine.objects.filter(pk=line.pk).update(
        tax_rate=Decimal("13"), tax_amount=(line.net_amount * Decimal("0.13")).quantize(CENT)
    )
    ContactFactory(customer=sent.customer, name="王芳", is_primary=True)

    text = " ".join(customer_client.get(link(sent)).text.split())

    assert "Demo Trading Co., Ltd." in text and "王芳" in text
    assert "Tax 13% on" in text


def test_the_token_is_long_random_and_not_the_id(sent):
    token = public_links.token_for(sent)
    assert len(token) == 65 and str(sent.pk) not in token[:3]
    assert sent.number not in token


def test_the_salespersons_page_shows_the_link_once_sent(sales_client, approved, sent):
    page = sales_client.get(sent.get_absolute_url())
    assert 'id="customer-link"' in page.text
    assert public_links.token_for(sent) in page.text


def test_an_approved_quote_not_yet_sent_has_no_link(sales_client, approved):
    assert approved.public_key is None
    assert 'id="customer-link"' not in sales_client.get(approved.get_absolute_url()).text


def test_customer_accepts_by_typing_their_name(customer_client, sent, salesperson):
    EndpointFactory()  # listens to every event
    response = answer(customer_client, sent, "accept", name="  Li   Wei ")
    assert response.status_code == 302
    quote = Quote.objects.get(pk=sent.pk)
    assert (quote.status, quote.customer_name, quote.customer_ip) == (
        "accepted",
        "Li Wei",
        "203.0.113.7",
    )
    assert quote.customer_user_agent == "Mail/1.0" and quote.customer_answered_at
    assert quote.customer_answer_seen is False
    entry = StateLog.objects.for_(quote).get(state="accepted")
    assert (entry.by, entry.description) == (None, "Accepted online by Li Wei.")
    assert Event.objects.filter(type="quote.accepted", object_id=str(quote.pk)).exists()
    page = customer_client.get(link(sent))
    assert "has been accepted" in page.text and "Accept the quote" not in page.text


def test_the_salesperson_is_told_until_they_open_the_quote(customer_client, sales_client, sent):
    answer(customer_client, sent, "decline", reason="Too expensive")
    dashboard = sales_client.get("/")
    assert [q.pk for q in dashboard.context["customer_answers"]] == [sent.pk]
    assert 'id="customer-answers"' in dashboard.text
    listed = sales_client.get(reverse("quotes:list") + "?answers=new")
    assert [q.pk for q in listed.context["object_list"]] == [sent.pk]
    page = sales_client.get(sent.get_absolute_url())
    assert 'id="customer-answer"' in page.text and "Too expensive" in page.text
    assert 'id="customer-answers"' not in sales_client.get("/").text


def test_customer_declines_with_a_reason(customer_client, sent):
    assert answer(customer_client, sent, "decline", reason=" ").status_code == 400
    assert Quote.objects.get(pk=sent.pk).status == "sent"
    answer(customer_client, sent, "decline", reason="We chose another supplier")
    quote = Quote.objects.get(pk=sent.pk)
    assert (quote.status, quote.customer_reason) == ("declined", "We chose another supplier")


def test_accepting_needs_a_name(customer_client, sent):
    response = answer(customer_client, sent, "accept", name="   ")
    assert response.status_code == 400
    assert Quote.objects.get(pk=sent.pk).status == "sent"


def test_the_forms_carry_a_csrf_token_and_a_post_without_it_is_refused(sent):
    client = Client(enforce_csrf_checks=True)
    assert "csrfmiddlewaretoken" in client.get(link(sent)).text
    url = reverse(
        "public_quotes:answer", kwargs={"token": public_links.token_for(sent), "action": "accept"}
    )
    assert client.post(url, {"name": "Li Wei"}).status_code == 403
    assert Quote.objects.get(pk=sent.pk).status == "sent"


@pytest.mark.parametrize("status", ["accepted", "declined", "cancelled"])
def test_a_decided_quote_shows_why_and_accepts_nothing(customer_client, sent, status):
    Quote.objects.filter(pk=sent.pk).update(status=status)
    page = customer_client.get(link(sent))
    assert page.status_code == 200 and 'id="quote-closed"' in page.text
    assert "Accept the quote" not in page.text
    response = answer(customer_client, sent, "accept", name="Li Wei")
    assert response.status_code == 400 and 'id="refusal"' in response.text
    quote = Quote.objects.get(pk=sent.pk)
    assert (quote.status, quote.customer_name) == (status, "")


def test_an_expired_link_says_so_and_accepts_nothing(customer_client, sent):
    # The valid-until date has passed, even before the nightly expiry has run.
    Quote.objects.filter(pk=sent.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
    sent.refresh_from_db()
    page = customer_client.get(link(sent))
    assert page.status_code == 200 and "expired" in page.text
    answer(customer_client, sent, "accept", name="Li Wei")
    assert Quote.objects.get(pk=sent.pk).status == "sent"


def test_a_superseded_quotes_link_says_it_was_replaced(customer_client, sent, salesperson):
    old_link = link(sent)
    services.revise_quote(quote_id=sent.pk, by=salesperson)
    page = customer_client.get(old_link)
    assert page.status_code == 200
    assert "replaced by a newer version" in page.text
    assert "Accept the quote" not in page.text
    answer(customer_client, sent, "accept", name="Li Wei")
    assert Quote.objects.get(pk=sent.pk).status == "superseded"


def test_each_revision_has_its_own_link(sent, salesperson, manager):
    revision = services.revise_quote(quote_id=sent.pk, by=salesperson)
    services.submit_quote(quote_id=revision.pk, by=salesperson)
    services.approve_quote(quote_id=revision.pk, by=manager)
    revision = services.send_quote(quote_id=revision.pk, by=salesperson)
    assert revision.public_key != sent.public_key
    assert public_links.find(public_links.token_for(revision)) == revision


def test_wrong_foreign_and_garbage_tokens_are_the_ordinary_404(customer_client, sent, opportunity):
    token = public_links.token_for(sent)
    garbage = [
        "x",
        "a" * 65,
        token[:-1] + ("A" if token[-1] != "A" else "B"),  # a forged signature
        token[:22] + "0" * 43,
        str(sent.pk),
        sent.number,
    ]
    not_found = Client().get("/no-such-page/")
    for value in garbage:
        response = customer_client.get(f"/q/{value}/")
        assert response.status_code == 404, value
        assert without_csrf(response.text) == without_csrf(not_found.text)
    # Another quote's key with this one's signature (or the other way) finds nothing.
    other = services.send_quote(
        quote_id=_approved_copy(sent, opportunity).pk, by=sent.customer.owner
    )
    mixed = other.public_key + token[22:]
    assert customer_client.get(f"/q/{mixed}/").status_code == 404


def _approved_copy(quote, opportunity):
    from tests.factories import quote_with_lines

    copy = quote_with_lines(opportunity=opportunity)
    Quote.objects.filter(pk=copy.pk).update(status="approved")
    return copy


def test_a_changed_valid_until_voids_the_old_token(customer_client, sent):
    token = public_links.token_for(sent)
    Quote.objects.filter(pk=sent.pk).update(valid_until=sent.valid_until + timedelta(days=5))
    assert customer_client.get(f"/q/{token}/").status_code == 404


def test_the_page_is_rate_limited_per_ip_address(settings, sent):
    settings.CRM_QUOTE_LINK_PER_MINUTE, settings.CRM_QUOTE_LINK_BURST = 1, 3
    first = Client(REMOTE_ADDR="198.51.100.1")
    statuses = [first.get(link(sent)).status_code for _ in range(3)]
    statuses.append(first.get("/q/" + "b" * 65 + "/").status_code)  # guesses count too
    assert statuses == [200, 200, 200, 429]
    limited = first.get(link(sent))
    assert limited.status_code == 429 and int(limited["Retry-After"]) >= 1
    assert sent.number not in limited.text
    assert Client(REMOTE_ADDR="198.51.100.2").get(link(sent)).status_code == 200


def test_a_get_of_an_answer_address_changes_nothing(customer_client, sent):
    url = reverse(
        "public_quotes:answer", kwargs={"token": public_links.token_for(sent), "action": "accept"}
    )
    assert customer_client.get(url).status_code == 404
    assert Quote.objects.get(pk=sent.pk).status == "sent"
