"""Archiving takes a customer off the working list without losing it; restoring brings it back."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from customers.models import Customer
from tests.factories import CustomerFactory

LIST_URL = reverse("customers:list")


def listed(client, **params) -> list[str]:
    return [c.name for c in client.get(LIST_URL, params).context["object_list"]]


def test_archived_customer_leaves_the_default_list(sales_client, customer):
    response = sales_client.post(reverse("customers:archive", args=[customer.pk]))

    assert response.status_code == 302
    assert response.url == reverse("customers:detail", args=[customer.pk])
    assert listed(sales_client) == []
    customer.refresh_from_db()
    assert customer.archived_at is not None


def test_archived_customer_is_found_under_archived(sales_client, customer):
    sales_client.post(reverse("customers:archive", args=[customer.pk]))

    assert listed(sales_client, archived="archived") == [customer.name]


def test_archived_customers_page_says_so_and_offers_restore(sales_client, customer):
    response = sales_client.post(reverse("customers:archive", args=[customer.pk]), follow=True)

    content = response.content.decode()
    assert "archived" in content
    assert reverse("customers:restore", args=[customer.pk]) in content


def test_restored_customer_returns_to_the_list(sales_client, salesperson):
    customer = CustomerFactory(owner=salesperson, archived_at=timezone.now())

    response = sales_client.post(reverse("customers:restore", args=[customer.pk]))

    assert response.status_code == 302
    assert listed(sales_client) == [customer.name]
    customer.refresh_from_db()
    assert customer.archived_at is None


def test_archiving_twice_keeps_the_first_archive_date(sales_client, salesperson):
    first = timezone.now() - timedelta(days=3)
    customer = CustomerFactory(owner=salesperson, archived_at=first)

    sales_client.post(reverse("customers:archive", args=[customer.pk]))

    customer.refresh_from_db()
    assert customer.archived_at == first


def test_archived_customer_is_left_out_of_the_dashboard(sales_client, salesperson):
    CustomerFactory(owner=salesperson, status=Customer.Status.ACTIVE)
    CustomerFactory(owner=salesperson, status=Customer.Status.ACTIVE, archived_at=timezone.now())

    response = sales_client.get(reverse("dashboard"))

    assert response.context["customer_total"] == 1


def test_salesperson_may_not_delete_customers(salesperson, manager):
    assert not salesperson.has_perm("customers.delete_customer")
    assert manager.has_perm("customers.delete_customer")
