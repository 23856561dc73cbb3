import pytest

from tests.factories import CustomerFactory


@pytest.fixture
def pair(salesperson):
    """Two customers of ``salesperson`` that are the same company, each with details the
    other lacks: (the one to keep, its duplicate)."""
    survivor = CustomerFactory(
        owner=salesperson, name="Acme Ltd", phone="", email="sales@acme.com", rating=""
    )
    other = CustomerFactory(
        owner=salesperson, name="ACME Limited", phone="+86 21 5555 0101", email="", rating="B"
    )
    return survivor, other
