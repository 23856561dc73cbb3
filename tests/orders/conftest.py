import pytest

from orders import services
from quotes import services as quote_services
from tests.factories import ManagerFactory, OpportunityFactory, quote_with_lines


def approved_quote(customer, manager, *, lines=((2, "1000.00", "0"), (1, "500.00", "10"))):
    """A quote of ``customer`` written and submitted by its owner and approved by
    ``manager``, through the services (total 2,450.00 with the default lines)."""
    opportunity = OpportunityFactory(customer=customer, stage="proposal")
    quote = quote_with_lines(opportunity=opportunity, lines=lines)
    quote_services.submit_quote(quote_id=quote.pk, by=customer.owner)
    return quote_services.approve_quote(quote_id=quote.pk, by=manager)


@pytest.fixture
def other_manager(db):
    return ManagerFactory(first_name="Jun", last_name="Zhao")


@pytest.fixture
def quote(customer, other_manager):
    """An approved quote of ``customer`` (owned by ``salesperson``)."""
    return approved_quote(customer, other_manager)


@pytest.fixture
def draft_order(quote, salesperson):
    return services.create_order(by=salesperson, quote_id=quote.pk)


@pytest.fixture
def pending_order(draft_order, salesperson):
    return services.submit_order(order_id=draft_order.pk, by=salesperson)


@pytest.fixture
def confirmed_order(pending_order, manager):
    return services.approve_order(order_id=pending_order.pk, by=manager)
