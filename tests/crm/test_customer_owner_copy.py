"""Deals, communications, quotes and orders carry their customer's owner (CustomerRecord), and
visibility reads that copy: it must follow the customer whatever changes the owner."""

import pytest
from django.db import IntegrityError, connection
from django.urls import reverse

from communications.models import Communication
from customers import services
from customers.models import Customer
from opportunities.models import Opportunity
from orders.models import Order
from quotes.models import Quote
from tests.factories import (
    CommunicationFactory,
    CustomerFactory,
    OpportunityFactory,
    OrderFactory,
    quote_with_lines,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(customer):
    """One record of each kind on ``customer`` (owned by ``salesperson``)."""
    deal = OpportunityFactory(customer=customer)
    quote = quote_with_lines(opportunity=deal)
    return {
        "opportunities:detail": deal,
        "communications:detail": CommunicationFactory(customer=customer, opportunity=deal),
        "quotes:detail": quote,
        "orders:detail": OrderFactory(quote=quote),
    }


def _status(client, url_name, record):
    return client.get(reverse(url_name, kwargs={"pk": record.pk})).status_code


def test_new_records_copy_their_customers_owner(records, salesperson):
    for record in records.values():
        record.refresh_from_db()
        assert record.customer_owner == salesperson


def test_reassigning_a_customer_moves_its_records_to_the_new_owner(
    records, customer, manager, salesperson, teammate, client
):
    services.reassign_customers(customer_ids=[customer.pk], new_owner=teammate, by=manager)

    client.force_login(teammate)
    for url_name, record in records.items():
        assert _status(client, url_name, record) == 200, url_name
    client.force_login(salesperson)
    for url_name, record in records.items():
        assert _status(client, url_name, record) == 404, url_name


def test_changing_the_owner_in_the_admin_moves_the_records_too(
    records, customer, manager_client, teammate
):
    url = reverse("admin:customers_customer_change", args=[customer.pk])
    form = manager_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        owner=teammate.pk,
        tags=[],
        **{
            "contacts-TOTAL_FORMS": 0,
            "contacts-INITIAL_FORMS": 0,
            "contacts-MIN_NUM_FORMS": 0,
            "contacts-MAX_NUM_FORMS": 1000,
        },
    )

    response = manager_client.post(url, data)

    assert response.status_code == 302
    for model in (Opportunity, Communication, Quote, Order):
        assert set(model.objects.values_list("customer_owner", flat=True)) == {teammate.pk}


def test_moving_a_communication_to_another_customer_moves_its_visibility(customer, teammate):
    communication = CommunicationFactory(customer=customer)
    other = CustomerFactory(owner=teammate)

    communication.customer = other
    communication.save()

    assert Communication.objects.visible_to(teammate).filter(pk=communication.pk).exists()
    assert not Communication.objects.visible_to(customer.owner).filter(pk=communication.pk)


def test_postgresql_cascades_an_owner_written_behind_the_services_back(records, customer, teammate):
    Customer.objects.filter(pk=customer.pk).update(owner=teammate)

    for record in records.values():
        record.refresh_from_db()
        assert record.customer_owner == teammate


def test_postgresql_refuses_a_copy_that_is_not_the_customers_owner(records, teammate):
    Communication.objects.update(customer_owner=teammate)

    with pytest.raises(IntegrityError):
        connection.check_constraints()
