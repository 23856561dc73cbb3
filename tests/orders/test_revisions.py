"""An order comes only from the accepted revision: a superseded one never becomes an order."""

import pytest
from django.core.exceptions import ValidationError
from django_fsm_log.models import StateLog

from orders import services
from orders.models import Order
from quotes import customer_answers
from quotes import services as quote_services
from quotes.models import Quote

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(salesperson, quote):
    return quote_services.send_quote(quote_id=quote.pk, by=salesperson)


def test_a_superseded_revision_never_becomes_an_order(salesperson, manager, sent):
    quote_services.revise_quote(quote_id=sent.pk, by=salesperson)
    with pytest.raises(ValidationError) as refusal:
        services.create_order(by=manager, quote_id=sent.pk, status="confirmed")
    assert "newer revision" in refusal.value.message_dict["quote"][0]
    assert not Order.objects.exists()
    assert Quote.objects.get(pk=sent.pk).status == "superseded"


def test_the_order_comes_from_the_revision_the_customer_accepted(salesperson, other_manager, sent):
    revision = quote_services.revise_quote(quote_id=sent.pk, by=salesperson)
    quote_services.submit_quote(quote_id=revision.pk, by=salesperson)
    quote_services.approve_quote(quote_id=revision.pk, by=other_manager)
    revision = quote_services.send_quote(quote_id=revision.pk, by=salesperson)
    customer_answers.customer_accepts(
        quote_id=revision.pk, public_key=revision.public_key, name="Li Wei"
    )
    order = services.create_order(by=salesperson, quote_id=revision.pk)
    assert order.quote == revision and order.total == revision.total
    # The acceptance is the customer's own: the order adds no second one.
    assert StateLog.objects.for_(revision).filter(state="accepted").get().by is None


def test_ordering_a_sent_quote_records_the_salespersons_acceptance(salesperson, sent):
    services.create_order(by=salesperson, quote_id=sent.pk)
    entry = StateLog.objects.for_(Quote.objects.get(pk=sent.pk)).get(state="accepted")
    assert (entry.by, entry.description) == (
        salesperson,
        "Accepted for the customer when the order was created.",
    )


def test_a_quote_the_customer_declined_online_never_becomes_an_order(salesperson, sent):
    customer_answers.customer_declines(quote_id=sent.pk, public_key=sent.public_key, reason="No")
    with pytest.raises(ValidationError):
        services.create_order(by=salesperson, quote_id=sent.pk)
    assert not Order.objects.exists()
