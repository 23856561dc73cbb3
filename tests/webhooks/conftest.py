import pytest

from tests.factories import EndpointFactory
from tests.webhooks.receiver import Receiver


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


@pytest.fixture
def local_endpoint(db, receiver, settings):
    """An endpoint at the local receiver, listening to everything (private addresses allowed,
    as a team with an internal receiver would set)."""
    settings.CRM_WEBHOOKS_ALLOW_PRIVATE = True
    return EndpointFactory(url=receiver.url)
