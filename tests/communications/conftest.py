import pytest
from django.test import Client

from tests.factories import CommunicationFactory, OpportunityFactory


@pytest.fixture
def opportunity(customer):
    """An opportunity of ``customer`` (owned by ``salesperson``)."""
    return OpportunityFactory(customer=customer)


@pytest.fixture
def foreign_opportunity(foreign_customer):
    return OpportunityFactory(customer=foreign_customer)


@pytest.fixture
def communication(customer):
    """A communication with ``customer``, written by its owner ``salesperson``."""
    return CommunicationFactory(customer=customer)


@pytest.fixture
def foreign_communication(foreign_customer):
    """A communication with ``teammate``'s customer: ``salesperson`` must not see it."""
    return CommunicationFactory(customer=foreign_customer)


@pytest.fixture
def teammate_client(teammate):
    client = Client()
    client.force_login(teammate)
    return client
