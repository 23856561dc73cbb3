"""Managers register endpoints and read the delivery log in admin; "Send again"."""

from django.contrib.auth.models import Group
from django.urls import reverse

from crm.roles import SALES, SALES_MANAGERS
from tests.factories import DeliveryFactory, EndpointFactory
from webhooks.models import Delivery, Endpoint


def test_managers_hold_the_webhook_permissions_and_salespeople_none(db):
    def codenames(name):
        return set(
            Group.objects.get(name=name)
            .permissions.filter(content_type__app_label="webhooks")
            .values_list("codename", flat=True)
        )

    assert codenames(SALES) == set()
    assert codenames(SALES_MANAGERS) == {
        "add_endpoint",
        "change_endpoint",
        "delete_endpoint",
        "view_endpoint",
        "view_event",
        "view_delivery",
        "change_delivery",
    }


def endpoint_form(**overrides) -> dict:
    return {
        "url": "https://93.184.215.14/crm-hooks",
        "description": "ERP",
        "events": ["order.confirmed", "customer.created"],
        "secret": "a-long-shared-secret",
        "is_active": "on",
        **overrides,
    }


def test_manager_registers_an_endpoint(manager_client):
    response = manager_client.post(reverse("admin:webhooks_endpoint_add"), endpoint_form())
    assert response.status_code == 302
    endpoint = Endpoint.objects.get()
    assert (endpoint.url, endpoint.events) == (
        "https://93.184.215.14/crm-hooks",
        ["order.confirmed", "customer.created"],
    )


def test_the_add_form_offers_every_event_and_a_generated_secret(manager_client):
    response = manager_client.get(reverse("admin:webhooks_endpoint_add"))
    assert response.status_code == 200
    assert 'value="opportunity.stage_changed"' in response.text
    assert 'name="secret"' in response.text


def test_an_internal_address_is_refused_with_a_clear_message(manager_client, settings):
    settings.CRM_WEBHOOKS_ALLOW_PRIVATE = False
    response = manager_client.post(
        reverse("admin:webhooks_endpoint_add"), endpoint_form(url="http://localhost:8080/")
    )
    assert response.status_code == 200
    assert "webhooks are only sent to public addresses" in response.text
    assert not Endpoint.objects.exists()


def test_a_salesperson_has_no_webhook_admin(sales_client):
    response = sales_client.get(reverse("admin:webhooks_endpoint_changelist"))
    assert response.status_code in (302, 403)


def test_the_delivery_log_of_an_endpoint_shows_each_delivery(manager_client):
    endpoint = EndpointFactory()
    DeliveryFactory(
        endpoint=endpoint,
        status="pending",
        attempts=2,
        last_response_code=503,
        last_error="The endpoint answered 503: busy",
    )
    DeliveryFactory()  # another endpoint's

    url = reverse("admin:webhooks_delivery_changelist")
    response = manager_client.get(f"{url}?endpoint__id__exact={endpoint.pk}")

    assert response.status_code == 200
    assert response.text.count("The endpoint answered 503: busy") == 1
    assert ">503<" in response.text
    endpoints = manager_client.get(reverse("admin:webhooks_endpoint_changelist"))
    assert f"?endpoint__id__exact={endpoint.pk}" in endpoints.text


def test_a_delivery_shows_the_body_sent_and_its_event_the_record(manager_client):
    item = DeliveryFactory(event__payload={"id": 7, "name": "Acme 客户"})
    response = manager_client.get(reverse("admin:webhooks_delivery_change", args=[item.pk]))
    assert response.status_code == 200
    assert "Acme 客户" in response.text and str(item.event.pk) in response.text
    assert 'name="_save"' not in response.text  # nothing on it can change
    event = manager_client.get(reverse("admin:webhooks_event_change", args=[item.event.pk]))
    assert event.status_code == 200 and "Acme 客户" in event.text


def test_manager_sends_deliveries_again(manager_client, django_capture_on_commit_callbacks):
    failed = DeliveryFactory(status="failed", attempts=12, last_error="gone")
    url = reverse("admin:webhooks_delivery_changelist")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = manager_client.post(
            url, {"action": "send_again_action", "_selected_action": [failed.pk]}, follow=True
        )

    assert "1 delivery will be sent again." in response.text
    assert Delivery.objects.get(pk=failed.pk).status == "pending"
    assert len(callbacks) == 1
