"""Lists: the list page's filters, a stable sort, cursor pages that walk every row once."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from customers.models import Customer
from opportunities.models import Opportunity
from tests.factories import (
    CommunicationFactory,
    ContactFactory,
    CustomerFactory,
    OpportunityFactory,
    OrderFactory,
    QuoteFactory,
    SalespersonFactory,
)

pytestmark = pytest.mark.django_db


def walk(api, path, **params):
    """Every item of every page, following ``next``."""
    items, cursor, pages = [], None, 0
    while True:
        response = api.get(path, **params, **({"cursor": cursor} if cursor else {}))
        assert response.status_code == 200, response.data
        items += response.data["items"]
        pages += 1
        cursor = response.data["next"]
        if cursor is None:
            return items, pages


@pytest.fixture
def deals(customer):
    """Deals with ties and missing values in every sort column."""
    today = timezone.localdate()
    for i in range(11):
        OpportunityFactory(
            customer=customer if i % 2 else CustomerFactory(owner=customer.owner, name="Same"),
            name=f"Deal {i % 3}",
            amount=Decimal(1000 * (i % 4)),
            expected_close_date=None if i % 3 == 0 else today + timedelta(days=i % 2),
        )
    return Opportunity.objects.filter(customer_owner=customer.owner)


SORTS = [
    "",
    "name",
    "-name",
    "customer",
    "-customer",
    "amount",
    "-amount",
    "close",
    "-close",
    "stage",
    "weighted",
    "-updated",
]


@pytest.mark.parametrize("sort", SORTS)
def test_cursor_pages_walk_every_row_once_in_the_pages_order(sales_api, deals, sort, rf):
    items, pages = walk(sales_api, "/opportunities/", limit=3, sort=sort)
    ids = [item["id"] for item in items]
    assert sorted(ids) == sorted(deals.values_list("pk", flat=True))
    assert len(set(ids)) == len(ids)
    assert pages == 4
    # The same order as one page of everything.
    everything = sales_api.get("/opportunities/", limit=200, sort=sort).data["items"]
    assert [item["id"] for item in everything] == ids


def test_customers_and_their_contacts_walk_once(sales_api, salesperson):
    for i in range(7):
        ContactFactory(customer=CustomerFactory(owner=salesperson, name=f"C{i % 2}"))
    items, _pages = walk(sales_api, "/customers/", limit=2, sort="name")
    assert len({item["id"] for item in items}) == 7
    assert all(len(item["contacts"]) == 1 for item in items)


@pytest.mark.parametrize(
    ("path", "sort"),
    [
        ("/communications/", "-occurred"),
        ("/communications/", "customer"),
        ("/communications/", "follow_up"),
        ("/quotes/", "customer"),
        ("/quotes/", "status"),
        ("/orders/", "-created"),
        ("/orders/", "total"),
    ],
)
def test_every_list_pages_with_a_cursor(sales_api, customer, path, sort):
    for i in range(5):
        CommunicationFactory(
            customer=customer, follow_up_on=timezone.localdate() if i % 2 else None
        )
        OrderFactory(quote__opportunity__customer=customer, total=Decimal(i % 2))
    items, pages = walk(sales_api, path, limit=2, sort=sort)
    assert len({item["id"] for item in items}) == len(items) == 5
    assert pages == 3


def test_a_list_takes_the_list_pages_filters_and_search(sales_api, customer):
    OpportunityFactory(customer=customer, name="Solar panels", stage="qualified")
    OpportunityFactory(customer=customer, name="Wind turbines", stage="qualified")
    OpportunityFactory(customer=customer, name="Solar roof", stage="proposal")
    response = sales_api.get("/opportunities/", q="solar", stage="qualified")
    assert [item["name"] for item in response.data["items"]] == ["Solar panels"]


def test_a_bad_filter_value_is_422(sales_api):
    response = sales_api.get("/opportunities/", stage="bogus")
    assert response.status_code == 422
    assert "stage" in response.data["errors"]


@pytest.mark.parametrize("cursor", ["nonsense", "e30", "eyJzb3J0IjogIm5hbWUifQ", "!!!"])
def test_a_cursor_the_list_did_not_give_is_422(sales_api, deals, cursor):
    response = sales_api.get("/opportunities/", cursor=cursor)
    assert response.status_code == 422
    assert "cursor" in response.data["errors"]


def test_a_cursor_of_another_sort_is_422(sales_api, deals):
    cursor = sales_api.get("/opportunities/", limit=2, sort="name").data["next"]
    assert sales_api.get("/opportunities/", cursor=cursor, sort="amount").status_code == 422


@pytest.mark.parametrize("limit", [0, 201, -1, "many"])
def test_the_limit_is_1_to_200(sales_api, limit):
    assert sales_api.get("/customers/", limit=limit).status_code == 422


def test_the_last_page_has_no_next(sales_api, customer):
    response = sales_api.get("/customers/", limit=1)
    assert response.data["next"] is None
    assert len(response.data["items"]) == 1


def test_archived_customers_stay_out_unless_asked_for(sales_api, salesperson):
    CustomerFactory(owner=salesperson, archived_at=timezone.now())
    assert sales_api.get("/customers/").data["items"] == []
    assert len(sales_api.get("/customers/", archived="archived").data["items"]) == 1


@pytest.mark.parametrize(
    ("path", "make"),
    [
        ("/customers/", lambda owner: ContactFactory(customer=CustomerFactory(owner=owner))),
        ("/opportunities/", lambda owner: OpportunityFactory(customer__owner=owner)),
        (
            "/communications/",
            lambda owner: CommunicationFactory(customer=CustomerFactory(owner=owner)),
        ),
        ("/quotes/", lambda owner: QuoteFactory(opportunity__customer__owner=owner)),
        ("/orders/", lambda owner: OrderFactory(quote__opportunity__customer__owner=owner)),
    ],
)
def test_a_list_costs_the_same_queries_whatever_its_size(
    path, make, salesperson, api_for, django_assert_num_queries
):
    api = api_for(salesperson)
    make(salesperson)
    api.get(path)  # the first request of a token writes its "last used"
    with CaptureQueriesContext(connection) as first:
        assert len(api.get(path, limit=1).data["items"]) == 1
    # The token with its user, the user's role, the rows, and each prefetched relation.
    assert len(first.captured_queries) <= 5
    for _ in range(6):
        make(salesperson)
    with django_assert_num_queries(len(first.captured_queries)):
        assert len(api.get(path, limit=50).data["items"]) == 7


def test_a_list_never_counts(sales_api, customer, django_assert_num_queries):
    with CaptureQueriesContext(connection) as queries:
        sales_api.get("/customers/", limit=1)
    sql = " ".join(query["sql"] for query in queries.captured_queries).upper()
    assert "COUNT(" not in sql and "OFFSET" not in sql


def test_customer_sort_by_name_reads_the_page_with_a_keyset(sales_api, salesperson):
    for name in ("A", "B", "C"):
        CustomerFactory(owner=salesperson, name=name)
    cursor = sales_api.get("/customers/", limit=1, sort="name").data["next"]
    response = sales_api.get("/customers/", limit=5, sort="name", cursor=cursor)
    assert [item["name"] for item in response.data["items"]] == ["B", "C"]
    assert Customer.objects.count() == 3


@pytest.mark.parametrize("role", ["salesperson", "manager"])
def test_the_role_is_read_with_the_token(role, request, api_for):
    """Who may see what is known from the token's own query: a list asks the role nowhere
    else, and each role still sees its own rows."""
    user = request.getfixturevalue(role)
    other = SalespersonFactory()
    CustomerFactory(owner=user, name="Mine")
    CustomerFactory(owner=other, name="Theirs")
    api = api_for(user)
    with CaptureQueriesContext(connection) as queries:
        names = {item["name"] for item in api.get("/customers/").data["items"]}
    assert names == ({"Mine", "Theirs"} if role == "manager" else {"Mine"})
    asking_groups = [q["sql"] for q in queries.captured_queries if '"auth_group"' in q["sql"]]
    assert len(asking_groups) == 1 and '"api_apitoken"' in asking_groups[0]
