"""The catalogue's pages: everyone reads, managers add and change, and cost prices reach
only the holders of products.view_cost_price (pages, CSV export, search, admin)."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from products.models import Product
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def exported(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


@pytest.fixture
def product(db):
    return ProductFactory(
        sku="RT-100",
        name="路由器 Router",
        list_price=Decimal("100.00"),
        cost_price=Decimal("61.50"),
    )


@pytest.mark.parametrize("persona", ["sales_client", "manager_client"])
def test_everyone_reads_the_catalogue(request, persona, product):
    client = request.getfixturevalue(persona)
    assert client.get(reverse("products:list")).status_code == 200
    response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    assert "路由器 Router" in response.content.decode()


def test_anonymous_is_sent_to_log_in(client, product):
    for url in (reverse("products:list"), product.get_absolute_url(), reverse("products:search")):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_salesperson_never_sees_a_cost_price(sales_client, product):
    for url in (reverse("products:list"), product.get_absolute_url()):
        page = sales_client.get(url).content.decode()
        assert "61.50" not in page and "Cost price" not in page
    rows = exported(sales_client.get(reverse("products:export")))
    assert "Cost price" not in rows[0] and "61.50" not in rows[1]
    assert "61.50" not in sales_client.get(reverse("products:search"), {"q": "RT"}).content.decode()


def test_manager_sees_cost_prices(manager_client, product):
    assert "61.50" in manager_client.get(product.get_absolute_url()).content.decode()
    assert "61.50" in manager_client.get(reverse("products:list")).content.decode()
    rows = exported(manager_client.get(reverse("products:export")))
    assert rows[1][rows[0].index("Cost price")] == "61.50"


def test_salesperson_cannot_add_or_change_products(sales_client, product):
    assert sales_client.get(reverse("products:create")).status_code == 403
    response = sales_client.post(
        reverse("products:update", args=[product.pk]),
        {"sku": "RT-100", "name": "Cheap", "list_price": "1", "tax_rate": "0"},
    )
    assert response.status_code == 403
    product.refresh_from_db()
    assert product.name == "路由器 Router"


def test_manager_adds_a_product_and_the_sku_is_unique_whatever_the_case(manager_client, product):
    data = {
        "sku": " sw-8 ",
        "name": "Switch",
        "list_price": "80",
        "tax_rate": "13",
        "is_active": "on",
    }
    response = manager_client.post(reverse("products:create"), data)
    created = Product.objects.get(sku="SW-8")
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()
    response = manager_client.post(reverse("products:create"), {**data, "sku": "rt-100"})
    assert response.status_code == 200 and Product.objects.count() == 2


def test_the_list_searches_sku_and_name_and_filters(sales_client, product):
    ProductFactory(sku="SW-8", name="Switch", category="Network", is_active=False)
    names = lambda response: [p.sku for p in response.context["object_list"]]  # noqa: E731
    assert names(sales_client.get(reverse("products:list"), {"q": "router"})) == ["RT-100"]
    assert names(sales_client.get(reverse("products:list"))) == ["RT-100"]
    inactive = sales_client.get(reverse("products:list"), {"active": "inactive"})
    assert names(inactive) == ["SW-8"]
    network = sales_client.get(reverse("products:list"), {"category": "Network", "active": "all"})
    assert names(network) == ["SW-8"]
    rows = exported(sales_client.get(reverse("products:export"), {"active": "all", "q": "sw"}))
    assert [row[0] for row in rows[1:]] == ["SW-8"]


@pytest.mark.parametrize("persona", ["sales_client", "manager_client"])
def test_list_page_costs_the_same_queries_whatever_its_size(
    request, persona, django_assert_num_queries
):
    client = request.getfixturevalue(persona)
    url = reverse("products:list")
    ProductFactory.create_batch(5)
    client.get(url)
    with CaptureQueriesContext(connection) as five_rows:
        response = client.get(url)
    assert len(response.context["object_list"]) == 5
    ProductFactory.create_batch(45)
    with django_assert_num_queries(len(five_rows)):
        response = client.get(url)
    assert len(response.context["object_list"]) == 25


def test_export_costs_the_same_queries_whatever_its_size(manager_client, django_assert_num_queries):
    ProductFactory.create_batch(3)
    with CaptureQueriesContext(connection) as few:
        assert len(exported(manager_client.get(reverse("products:export")))) == 4
    ProductFactory.create_batch(30)
    with django_assert_num_queries(len(few)):
        assert len(exported(manager_client.get(reverse("products:export")))) == 34


def test_search_offers_sku_prefixes_first_and_at_most_fifty(
    sales_client, django_assert_num_queries
):
    ProductFactory.create_batch(60, name="Cable")
    ProductFactory(sku="CAB-1", name="Adapter")
    ProductFactory(sku="CAB-2", name="Inactive cable", is_active=False)
    with django_assert_num_queries(4):  # session, user, SKU prefix, names
        response = sales_client.get(reverse("products:search"), {"q": "cab"})
    results = response.json()["results"]
    assert len(results) == 50
    assert results[0]["sku"] == "CAB-1"
    assert "Inactive cable" not in {result["name"] for result in results}
    assert set(results[0]) == {"id", "sku", "name", "unit", "list_price", "tax_rate"}


def test_search_with_nothing_typed_finds_nothing(sales_client):
    ProductFactory()
    assert sales_client.get(reverse("products:search")).json() == {"results": []}


def test_search_refuses_post(sales_client):
    assert sales_client.post(reverse("products:search")).status_code == 405


def test_admin_hides_the_cost_price_without_the_permission(client_for, manager, product):
    from django.contrib.auth.models import Permission

    assert (
        "61.50"
        in client_for(manager)
        .get(reverse("admin:products_product_change", args=[product.pk]))
        .content.decode()
    )
    manager.groups.clear()
    manager.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_product", "change_product"])
    )
    manager = type(manager).objects.get(pk=manager.pk)
    page = client_for(manager).get(reverse("admin:products_product_change", args=[product.pk]))
    assert page.status_code == 200 and "61.50" not in page.content.decode()
