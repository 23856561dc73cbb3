"""Tags by name and the owner of a customer through the API, with the pages' rules: a
salesperson uses the tags there are, a manager may add new ones and hand a customer (with
its records) to another salesperson."""

import pytest

from customers.models import Customer, Tag
from tests.factories import OpportunityFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_salesperson_tags_a_new_customer_by_name_whatever_the_case(sales_api):
    TagFactory(name="VIP")
    response = sales_api.post("/customers/", {"name": "Acme", "tags": ["vip"]})
    assert response.status_code == 201
    assert response.data["tags"] == ["VIP"]


def test_salesperson_cannot_make_a_new_tag(sales_api):
    response = sales_api.post("/customers/", {"name": "Acme", "tags": ["Brand new"]})
    assert response.status_code == 422
    assert list(response.data["errors"]) == ["tags"]
    assert not Tag.objects.filter(name="Brand new").exists()
    assert not Customer.objects.filter(name="Acme").exists()


def test_manager_makes_a_new_tag_by_naming_it(manager_api):
    response = manager_api.post("/customers/", {"name": "Acme", "tags": ["Government"]})
    assert response.status_code == 201
    assert response.data["tags"] == ["Government"]
    assert Tag.objects.filter(name="Government").exists()


def test_update_replaces_the_tags_and_leaves_them_when_not_given(sales_api, customer):
    vip, key = TagFactory(name="VIP"), TagFactory(name="Key account")
    customer.tags.set([vip])

    kept = sales_api.patch(f"/customers/{customer.pk}", {"notes": "x"})
    replaced = sales_api.patch(f"/customers/{customer.pk}", {"tags": ["Key account"]})
    emptied = sales_api.patch(f"/customers/{customer.pk}", {"tags": []})

    assert kept.data["tags"] == ["VIP"]
    assert replaced.data["tags"] == [key.name]
    assert emptied.data["tags"] == []


def test_manager_hands_a_customer_and_its_deals_to_another_salesperson(
    manager_api, customer, teammate
):
    deal = OpportunityFactory(customer=customer)

    response = manager_api.patch(f"/customers/{customer.pk}", {"owner_id": teammate.pk})

    assert response.status_code == 200
    assert response.data["owner_id"] == teammate.pk
    deal.refresh_from_db()
    assert deal.customer_owner_id == teammate.pk


def test_salesperson_cannot_hand_their_customer_to_someone_else(sales_api, customer, teammate):
    response = sales_api.patch(f"/customers/{customer.pk}", {"owner_id": teammate.pk, "notes": "x"})
    assert response.status_code == 403
    customer.refresh_from_db()
    assert (customer.owner_id, customer.notes) != (teammate.pk, "x")
    assert customer.notes != "x"  # nothing of the request was kept


def test_a_new_owner_must_be_an_active_user(manager_api, customer, teammate):
    teammate.is_active = False
    teammate.save()
    response = manager_api.patch(f"/customers/{customer.pk}", {"owner_id": teammate.pk})
    assert response.status_code == 422
    assert "owner_id" in response.data["errors"]
