"""The customer's timeline and the opportunity's communications, contributed as panels."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communications.panels import TIMELINE_ENTRIES, customer_timeline
from tests.factories import CommunicationFactory, OpportunityFactory


def test_customer_page_shows_the_timeline_newest_first(sales_client, customer):
    now = timezone.now()
    first_call = CommunicationFactory(
        customer=customer, subject="First call", occurred_at=now - timedelta(days=10)
    )
    deal = OpportunityFactory(customer=customer, name="Big deal")
    # created_at is set on insert; move the deal between the two calls
    type(deal).objects.filter(pk=deal.pk).update(created_at=now - timedelta(days=5))
    latest = CommunicationFactory(
        customer=customer, opportunity=deal, subject="Sent the offer", occurred_at=now
    )
    response = sales_client.get(customer.get_absolute_url())
    text = response.text
    assert 'id="timeline"' in text
    assert text.index(latest.subject) < text.index("Big deal") < text.index(first_call.subject)
    assert f"{reverse('communications:create')}?customer={customer.pk}" in text
    assert f"{reverse('opportunities:create')}?customer={customer.pk}" in text


def test_timeline_is_bounded_and_costs_two_queries(
    rf, salesperson, customer, django_assert_num_queries
):
    OpportunityFactory.create_batch(3, customer=customer)
    CommunicationFactory.create_batch(TIMELINE_ENTRIES + 5, customer=customer)
    with django_assert_num_queries(2):
        context = customer_timeline(rf.get("/"), customer)
    entries = context["timeline"]
    assert len(entries) == TIMELINE_ENTRIES
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)


def test_archived_customer_timeline_has_no_log_button(sales_client, customer):
    customer.archived_at = timezone.now()
    customer.save()
    text = sales_client.get(customer.get_absolute_url()).text
    assert f"{reverse('communications:create')}?customer={customer.pk}" not in text


def test_empty_timeline_says_so(sales_client, customer):
    text = sales_client.get(customer.get_absolute_url()).text
    assert "No opportunities or communications yet." in text


def test_opportunity_page_lists_its_communications(sales_client, customer, opportunity):
    about = CommunicationFactory(opportunity=opportunity, subject="Demo booked")
    other = CommunicationFactory(customer=customer, subject="Unrelated chat")
    response = sales_client.get(reverse("opportunities:detail", args=[opportunity.pk]))
    text = response.text
    assert about.subject in text
    assert other.subject not in text
    assert f"{reverse('communications:create')}?opportunity={opportunity.pk}" in text


@pytest.mark.parametrize("persona", ["sales_client", "manager_client"])
def test_customer_page_query_count_does_not_grow_with_the_timeline(
    request, persona, customer, django_assert_num_queries
):
    client = request.getfixturevalue(persona)
    url = customer.get_absolute_url()
    CommunicationFactory(customer=customer)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    CommunicationFactory.create_batch(20, customer=customer, follow_up_on=timezone.localdate())
    OpportunityFactory.create_batch(5, customer=customer)
    with django_assert_num_queries(len(small)):
        client.get(url)
