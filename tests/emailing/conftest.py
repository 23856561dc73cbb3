import pytest

from quotes import services
from tests.factories import ContactFactory, OpportunityFactory, quote_with_lines
from tests.smtp import IMMEDIATE_TASKS, smtp_server, use_smtp


@pytest.fixture
def mailbox(settings):
    """A real SMTP server on 127.0.0.1, Django's e-mail pointed at it."""
    with smtp_server() as mailbox:
        use_smtp(settings, mailbox)
        yield mailbox


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def contact(customer):
    return ContactFactory(customer=customer, name="Wang Fang", email="wang.fang@buyer.test")


@pytest.fixture
def approved(customer, salesperson, manager, contact):
    opportunity = OpportunityFactory(customer=customer, stage="proposal")
    quote = quote_with_lines(opportunity=opportunity, lines=((2, "1000.00", "0"),))
    services.submit_quote(quote_id=quote.pk, by=salesperson)
    return services.approve_quote(quote_id=quote.pk, by=manager)
