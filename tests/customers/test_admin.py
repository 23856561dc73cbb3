"""Managers work on customers in Django admin; salespeople stay out of it."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from customers.models import Customer
from tests.factories import ContactFactory, CustomerFactory, TagFactory

CHANGELIST = reverse("admin:customers_customer_changelist")


def test_manager_opens_the_customer_changelist(manager_client, customer, foreign_customer):
    response = manager_client.get(CHANGELIST)

    assert response.status_code == 200
    content = response.content.decode()
    assert customer.name in content
    assert foreign_customer.name in content


@pytest.mark.parametrize(
    "params",
    [
        {"status__exact": "active"},
        {"kind__exact": "individual"},
        {"industry__exact": "finance"},
        {"source__exact": "event"},
        {"rating__exact": "A"},
        {"archived_at__isempty": "0"},
    ],
    ids=lambda params: next(iter(params)),
)
def test_manager_filters_the_changelist(manager_client, salesperson, params):
    wanted = CustomerFactory(
        owner=salesperson,
        name="Wanted",
        status="active",
        kind="individual",
        industry="finance",
        source="event",
        rating="A",
        archived_at=timezone.now(),
    )
    CustomerFactory(owner=salesperson, name="Unwanted", rating="C")

    response = manager_client.get(CHANGELIST, params)

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [wanted]


def test_manager_filters_the_changelist_by_owner_and_tag(manager_client, salesperson, teammate):
    vip = TagFactory(name="VIP")
    wanted = CustomerFactory(owner=teammate, name="Wanted")
    wanted.tags.add(vip)
    CustomerFactory(owner=salesperson, name="Unwanted").tags.add(vip)

    response = manager_client.get(
        CHANGELIST, {"owner__id__exact": teammate.pk, "tags__id__exact": vip.pk}
    )

    assert list(response.context["cl"].result_list) == [wanted]


@pytest.mark.parametrize("query", ["northwind", "buyer@northwind", "0013 8000", "王芳"])
def test_manager_searches_the_changelist(manager_client, salesperson, query):
    wanted = CustomerFactory(
        owner=salesperson,
        name="Northwind Trading",
        email="buyer@northwind.example.com",
        phone="+86 138 0013 8000",
    )
    ContactFactory(customer=wanted, name="王芳")
    ContactFactory(customer=wanted, name="王芳 junior")
    CustomerFactory(owner=salesperson, name="Bluepeak Foods")

    response = manager_client.get(CHANGELIST, {"q": query})

    assert list(response.context["cl"].result_list) == [wanted]


def test_manager_opens_a_customer_with_its_contacts(manager_client, customer):
    ContactFactory(customer=customer, name="Carol Zhou")

    response = manager_client.get(reverse("admin:customers_customer_change", args=[customer.pk]))

    assert response.status_code == 200
    assert "Carol Zhou" in response.content.decode()
    assert response.context["inline_admin_formsets"]


def test_reassign_action_asks_for_the_new_owner_first(manager_client, customer, foreign_customer):
    response = manager_client.post(
        CHANGELIST,
        {"action": "reassign_owner", ACTION_CHECKBOX_NAME: [customer.pk, foreign_customer.pk]},
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="new_owner"' in content
    assert customer.name in content and foreign_customer.name in content
    customer.refresh_from_db()
    assert customer.owner != foreign_customer.owner


def test_reassign_action_moves_the_selected_customers(
    manager_client, salesperson, teammate, customer
):
    moving = [customer, CustomerFactory(owner=salesperson)]
    staying = CustomerFactory(owner=salesperson)

    response = manager_client.post(
        CHANGELIST,
        {
            "action": "reassign_owner",
            ACTION_CHECKBOX_NAME: [c.pk for c in moving],
            "apply": "Reassign",
            "new_owner": teammate.pk,
        },
        follow=True,
    )

    assert response.status_code == 200
    assert "2 customers reassigned" in response.content.decode()
    assert set(Customer.objects.filter(owner=teammate)) == set(moving)
    staying.refresh_from_db()
    assert staying.owner == salesperson


def test_reassign_action_without_an_owner_moves_nothing(manager_client, salesperson, customer):
    response = manager_client.post(
        CHANGELIST,
        {"action": "reassign_owner", ACTION_CHECKBOX_NAME: [customer.pk], "apply": "Reassign"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["new_owner"]
    customer.refresh_from_db()
    assert customer.owner == salesperson


@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:index"),
        CHANGELIST,
        reverse("admin:customers_customer_change", args=[1]),
        reverse("admin:crm_exportlog_changelist"),
    ],
)
def test_salesperson_cannot_open_admin(sales_client, url):
    response = sales_client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def contact_inline_post(customer, contacts):
    """The admin change form for ``customer`` with ``contacts`` as new inline rows."""
    data = {
        "name": customer.name,
        "kind": customer.kind,
        "status": customer.status,
        "owner": customer.owner.pk,
        "contacts-TOTAL_FORMS": str(len(contacts)),
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
    }
    for index, contact in enumerate(contacts):
        data.update({f"contacts-{index}-{key}": value for key, value in contact.items()})
    return data


def test_manager_adds_contacts_in_admin(manager_client, customer):
    response = manager_client.post(
        reverse("admin:customers_customer_change", args=[customer.pk]),
        contact_inline_post(customer, [{"name": "Ann", "is_primary": "on"}, {"name": "Ben"}]),
    )

    assert response.status_code == 302
    assert list(customer.contacts.values_list("name", "is_primary")) == [
        ("Ann", True),
        ("Ben", False),
    ]


def test_two_primary_contacts_in_admin_are_refused_with_a_message(manager_client, customer):
    response = manager_client.post(
        reverse("admin:customers_customer_change", args=[customer.pk]),
        contact_inline_post(
            customer, [{"name": "Ann", "is_primary": "on"}, {"name": "Ben", "is_primary": "on"}]
        ),
    )

    assert response.status_code == 200
    assert "Only one contact can be the primary contact." in response.content.decode()
    assert not customer.contacts.exists()
