import pytest

from quotes import services
from tests.factories import ManagerFactory, OpportunityFactory, quote_with_lines


@pytest.fixture
def opportunity(customer):
    """An opportunity of ``customer`` (owned by ``salesperson``)."""
    return OpportunityFactory(customer=customer, stage="proposal")


@pytest.fixture
def foreign_opportunity(foreign_customer):
    return OpportunityFactory(customer=foreign_customer, stage="proposal")


@pytest.fixture
def other_manager(db):
    return ManagerFactory(first_name="Jun", last_name="Zhao")


@pytest.fixture
def draft(opportunity):
    """A draft with two lines (total 1,900.00), written by ``salesperson``."""
    return quote_with_lines(
        opportunity=opportunity, lines=((1, "1000.00", "0"), (1, "1000.00", "10"))
    )


@pytest.fixture
def pending(draft, salesperson):
    """``draft`` submitted by ``salesperson``: waiting for a manager."""
    return services.submit_quote(quote_id=draft.pk, by=salesperson)


@pytest.fixture
def approved(pending, manager):
    return services.approve_quote(quote_id=pending.pk, by=manager)


@pytest.fixture
def sent(approved, salesperson):
    """``approved`` sent to the customer: it has its customer link."""
    return services.send_quote(quote_id=approved.pk, by=salesperson)
