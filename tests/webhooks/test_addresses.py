"""Server-side request forgery: endpoints only on public http(s) addresses, unless
CRM_WEBHOOKS_ALLOW_PRIVATE; checked when an endpoint is saved and again when it is sent to."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import DeliveryFactory, EndpointFactory
from webhooks import addresses, delivery
from webhooks.events import EventType
from webhooks.models import Endpoint

INTERNAL = [
    "http://127.0.0.1/hook",
    "http://10.1.2.3/hook",
    "http://172.16.0.1/hook",
    "http://192.168.1.10:8080/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://0.0.0.0/hook",
    "http://224.0.0.1/hook",
    "http://100.64.0.1/hook",
    "http://[::1]/hook",
    "http://[fe80::1]/hook",
    "http://[fc00::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[::]/hook",
    "http://localhost:8000/hook",
]


@pytest.mark.parametrize("url", INTERNAL)
def test_internal_addresses_are_refused(url, settings):
    settings.CRM_WEBHOOKS_ALLOW_PRIVATE = False
    with pytest.raises(ValidationError) as refused:
        addresses.check_url(url)
    assert "webhooks are only sent to public addresses" in refused.value.messages[0]


@pytest.mark.parametrize("url", ["http://127.0.0.1/hook", "http://localhost/x", "http://[::1]/"])
def test_the_setting_allows_internal_addresses(url, settings):
    settings.CRM_WEBHOOKS_ALLOW_PRIVATE = True
    assert addresses.check_url(url).address in {"127.0.0.1", "::1"}


def test_a_public_address_is_kept_with_host_port_and_path(settings):
    settings.CRM_WEBHOOKS_ALLOW_PRIVATE = False
    target = addresses.check_url("https://93.184.215.14:8443/in?x=1")
    assert (target.scheme, target.host, target.port, target.path, target.address) == (
        "https",
        "93.184.215.14",
        8443,
        "/in?x=1",
        "93.184.215.14",
    )


@pytest.mark.parametrize("url", ["ftp://93.184.215.14/x", "file:///etc/passwd", "gopher://a/"])
def test_only_http_and_https(url):
    with pytest.raises(ValidationError, match="http:// or https://"):
        addresses.check_url(url)


def test_an_unknown_host_is_refused():
    with pytest.raises(ValidationError, match="could not be found"):
        addresses.check_url("http://no-such-host.invalid/")


@pytest.mark.django_db
def test_saving_an_endpoint_on_an_internal_address_says_why(settings):
    settings.CRM_WEBHOOKS_ALLOW_PRIVATE = False
    endpoint = Endpoint(url="http://169.254.169.254/", events=[EventType.CUSTOMER_CREATED])
    with pytest.raises(ValidationError) as refused:
        endpoint.full_clean()
    assert refused.value.message_dict["url"] == [
        "“169.254.169.254” is a private, loopback, link-local or otherwise internal address "
        "(169.254.169.254); webhooks are only sent to public addresses."
    ]


@pytest.mark.django_db
def test_unknown_events_are_refused():
    endpoint = Endpoint(url="https://93.184.215.14/", events=["customer.deleted"])
    with pytest.raises(ValidationError) as refused:
        endpoint.full_clean()
    assert refused.value.message_dict["events"] == ["Unknown events: customer.deleted"]


@pytest.mark.django_db
def test_a_delivery_to_an_address_that_became_internal_is_not_sent(receiver, settings):
    """Saved while allowed (or while its name resolved elsewhere): the delivery checks again,
    and the receiver on 127.0.0.1 hears nothing."""
    settings.CRM_WEBHOOKS_ALLOW_PRIVATE = False
    item = DeliveryFactory(endpoint=EndpointFactory(url=receiver.url))

    assert delivery.attempt(item.pk) == "pending"

    item.refresh_from_db()
    assert "only sent to public addresses" in item.last_error
    assert receiver.requests == []


def test_the_connection_goes_to_the_checked_address(monkeypatch, settings, receiver):
    """DNS rebinding: the name is resolved once, checked, and that address is connected to;
    a second lookup (which could answer an internal address) never happens."""
    settings.CRM_WEBHOOKS_ALLOW_PRIVATE = True
    target = addresses.check_url(receiver.url.replace("127.0.0.1", "localhost"))
    target = addresses.Target(**{**target.__dict__, "address": "127.0.0.1"})

    def no_second_lookup(*args, **kwargs):
        raise AssertionError("resolved again")

    monkeypatch.setattr("socket.getaddrinfo", no_second_lookup)
    from webhooks import sending

    outcome = sending.post(target, b"{}", {"Content-Type": "application/json"}, timeout=5)
    assert outcome.ok
    assert receiver.requests[0].headers["Host"].startswith("localhost:")
