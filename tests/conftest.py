import pytest
from django.test import Client

from tests.factories import CustomerFactory, ManagerFactory, SalespersonFactory


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Users are created in almost every test; the real hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def salesperson(db):
    return SalespersonFactory(first_name="Alice", last_name="Wang")


@pytest.fixture
def teammate(db):
    return SalespersonFactory(first_name="Bob", last_name="Li")


@pytest.fixture
def manager(db):
    return ManagerFactory(first_name="Mei", last_name="Chen")


@pytest.fixture
def customer(salesperson):
    """A customer owned by ``salesperson``."""
    return CustomerFactory(owner=salesperson)


@pytest.fixture
def foreign_customer(teammate):
    """A customer owned by ``teammate``: ``salesperson`` must not see it."""
    return CustomerFactory(owner=teammate)


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def client_for(db):
    """Log any user in: ``client_for(user)`` returns a client with a session for them."""
    return _client_for


@pytest.fixture
def sales_client(salesperson):
    return _client_for(salesperson)


@pytest.fixture
def teammate_client(teammate):
    return _client_for(teammate)


@pytest.fixture
def manager_client(manager):
    return _client_for(manager)
