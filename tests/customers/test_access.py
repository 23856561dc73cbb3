"""Who may open and change which customer: the same personas on every URL.

Owner and manager are let in; a teammate (another salesperson) gets a 404 as if the record
did not exist; an anonymous visitor is sent to the login page.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from customers.models import Contact, Customer
from tests.factories import ContactFactory, CustomerFactory, customer_form_data

LOGIN_URL = "/accounts/login/"


@pytest.fixture
def contact(customer):
    return ContactFactory(customer=customer, name="Carol Zhou")


def endpoint_request(name, customer, contact):
    """(method, url, data) for one endpoint, aimed at ``customer`` and its ``contact``."""
    table = {
        "detail": ("get", reverse("customers:detail", args=[customer.pk]), None),
        "update_get": ("get", reverse("customers:update", args=[customer.pk]), None),
        "update_post": (
            "post",
            reverse("customers:update", args=[customer.pk]),
            customer_form_data(name="Renamed Ltd"),
        ),
        "archive": ("post", reverse("customers:archive", args=[customer.pk]), {}),
        "restore": ("post", reverse("customers:restore", args=[customer.pk]), {}),
        "contact_create": (
            "post",
            reverse("customers:contact_create", args=[customer.pk]),
            {"name": "Dan Wu", "title": "CFO", "email": "", "phone": ""},
        ),
        "contact_update_get": (
            "get",
            reverse("customers:contact_update", args=[contact.pk]),
            None,
        ),
        "contact_update_post": (
            "post",
            reverse("customers:contact_update", args=[contact.pk]),
            {"name": "Carol Zhou-Li", "title": "CEO", "email": "", "phone": ""},
        ),
        "contact_delete": ("post", reverse("customers:contact_delete", args=[contact.pk]), {}),
        "export": ("get", f"{reverse('customers:export')}?id={customer.pk}", None),
    }
    return table[name]


ENDPOINTS = [
    ("detail", 200),
    ("update_get", 200),
    ("update_post", 302),
    ("archive", 302),
    ("restore", 302),
    ("contact_create", 302),
    ("contact_update_get", 200),
    ("contact_update_post", 302),
    ("contact_delete", 302),
    ("export", 200),
]


def send(client, method, url, data):
    return client.post(url, data) if method == "post" else client.get(url)


@pytest.mark.parametrize("persona", ["sales_client", "manager_client"])
@pytest.mark.parametrize(("endpoint", "expected_status"), ENDPOINTS)
def test_owner_and_manager_are_let_in(request, persona, endpoint, expected_status, contact):
    client = request.getfixturevalue(persona)
    method, url, data = endpoint_request(endpoint, contact.customer, contact)

    response = send(client, method, url, data)

    assert response.status_code == expected_status


@pytest.mark.parametrize(("endpoint", "_allowed_status"), ENDPOINTS)
def test_teammate_gets_404_for_someone_elses_customer(
    teammate_client, endpoint, _allowed_status, contact
):
    method, url, data = endpoint_request(endpoint, contact.customer, contact)

    response = send(teammate_client, method, url, data)

    assert response.status_code == 404


@pytest.mark.parametrize(("endpoint", "_allowed_status"), ENDPOINTS)
def test_anonymous_visitor_is_sent_to_login(endpoint, _allowed_status, contact):
    method, url, data = endpoint_request(endpoint, contact.customer, contact)

    response = send(Client(), method, url, data)

    assert response.status_code == 302
    assert response.url.startswith(LOGIN_URL)


@pytest.mark.parametrize(
    "url_name", ["archive", "restore", "contact_create", "contact_delete"], ids=str
)
def test_post_only_actions_refuse_get(sales_client, contact, url_name):
    pk = contact.pk if url_name == "contact_delete" else contact.customer.pk

    response = sales_client.get(reverse(f"customers:{url_name}", args=[pk]))

    assert response.status_code == 405


def test_teammate_crafted_update_changes_nothing(teammate_client, customer):
    before = Customer.objects.values().get(pk=customer.pk)

    response = teammate_client.post(
        reverse("customers:update", args=[customer.pk]),
        customer_form_data(name="Hijacked", email="thief@example.com"),
    )

    assert response.status_code == 404
    assert Customer.objects.values().get(pk=customer.pk) == before


def test_teammate_crafted_archive_changes_nothing(teammate_client, customer):
    response = teammate_client.post(reverse("customers:archive", args=[customer.pk]))

    assert response.status_code == 404
    customer.refresh_from_db()
    assert customer.archived_at is None


def test_teammate_crafted_restore_changes_nothing(teammate_client, salesperson):
    archived = CustomerFactory(owner=salesperson, archived_at=timezone.now())

    response = teammate_client.post(reverse("customers:restore", args=[archived.pk]))

    assert response.status_code == 404
    archived.refresh_from_db()
    assert archived.archived_at is not None


def test_teammate_crafted_contact_create_adds_nothing(teammate_client, customer):
    response = teammate_client.post(
        reverse("customers:contact_create", args=[customer.pk]),
        {"name": "Mole", "title": "", "email": "", "phone": ""},
    )

    assert response.status_code == 404
    assert not Contact.objects.filter(customer=customer).exists()


def test_teammate_crafted_contact_update_changes_nothing(teammate_client, contact):
    response = teammate_client.post(
        reverse("customers:contact_update", args=[contact.pk]),
        {"name": "Changed", "title": "", "email": "", "phone": ""},
    )

    assert response.status_code == 404
    contact.refresh_from_db()
    assert contact.name == "Carol Zhou"


def test_teammate_crafted_contact_delete_removes_nothing(teammate_client, contact):
    response = teammate_client.post(reverse("customers:contact_delete", args=[contact.pk]))

    assert response.status_code == 404
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_salesperson_list_shows_only_own_customers(sales_client, customer, foreign_customer):
    response = sales_client.get(reverse("customers:list"))

    assert list(response.context["object_list"]) == [customer]
    assert foreign_customer.name not in response.content.decode()


def test_manager_list_shows_every_salespersons_customers(
    manager_client, customer, foreign_customer
):
    response = manager_client.get(reverse("customers:list"))

    assert set(response.context["object_list"]) == {customer, foreign_customer}


def test_salesperson_cannot_use_owner_filter_to_see_teammates_customers(
    sales_client, customer, foreign_customer, teammate
):
    response = sales_client.get(reverse("customers:list"), {"owner": teammate.pk})

    assert list(response.context["object_list"]) == [customer]


def test_salesperson_export_holds_only_own_customers(
    sales_client, customer, foreign_customer, teammate
):
    response = sales_client.get(reverse("customers:export"), {"owner": teammate.pk})

    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert customer.name in content
    assert foreign_customer.name not in content


def test_manager_export_holds_every_customer(manager_client, customer, foreign_customer):
    response = manager_client.get(reverse("customers:export"))

    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert customer.name in content
    assert foreign_customer.name in content


def test_salesperson_export_naming_a_foreign_customer_among_own_is_404(
    sales_client, customer, foreign_customer
):
    response = sales_client.get(
        reverse("customers:export"), {"id": f"{customer.pk},{foreign_customer.pk}"}
    )

    assert response.status_code == 404
