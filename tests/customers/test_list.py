"""The customer list: search, filters, sorting, junk parameters, query count, capped count."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from customers.models import Customer
from tests.factories import (
    ContactFactory,
    CustomerFactory,
    SalespersonFactory,
    TagFactory,
)

LIST_URL = reverse("customers:list")


def shown(response) -> list[str]:
    """Names of the customers on the page, in the order shown."""
    assert response.status_code == 200
    return [customer.name for customer in response.context["object_list"]]


# --- search -----------------------------------------------------------------------------


def test_salesperson_finds_customer_by_part_of_its_name(sales_client, salesperson):
    CustomerFactory(owner=salesperson, name="Northwind Trading")
    CustomerFactory(owner=salesperson, name="Bluepeak Foods")

    assert shown(sales_client.get(LIST_URL, {"q": "northw"})) == ["Northwind Trading"]


def test_salesperson_finds_customer_by_email(sales_client, salesperson):
    CustomerFactory(owner=salesperson, name="Harbor", email="buyer@harbor.example.com")
    CustomerFactory(owner=salesperson, name="Summit", email="info@summit.example.com")

    assert shown(sales_client.get(LIST_URL, {"q": "BUYER@harbor"})) == ["Harbor"]


@pytest.mark.parametrize(
    "query", ["13800138000", "138-0013-8000", "+86 138 0013 8000", "8613800138000"]
)
def test_salesperson_finds_customer_by_phone_in_any_formatting(sales_client, salesperson, query):
    CustomerFactory(owner=salesperson, name="Oakridge", phone="+86 138-0013-8000")
    CustomerFactory(owner=salesperson, name="Redstone", phone="+86 139 0000 1111")

    assert shown(sales_client.get(LIST_URL, {"q": query})) == ["Oakridge"]


def test_salesperson_finds_phone_typed_with_spaces_when_stored_without(sales_client, salesperson):
    CustomerFactory(owner=salesperson, name="Oakridge", phone="8613800138000")
    CustomerFactory(owner=salesperson, name="Redstone", phone="8613900001111")

    assert shown(sales_client.get(LIST_URL, {"q": "+86 138 0013 8000"})) == ["Oakridge"]


def test_salesperson_finds_customer_by_contact_name(sales_client, salesperson):
    ContactFactory(customer=CustomerFactory(owner=salesperson, name="Clearview"), name="王芳")
    ContactFactory(customer=CustomerFactory(owner=salesperson, name="Lakeside"), name="李伟")

    assert shown(sales_client.get(LIST_URL, {"q": "王芳"})) == ["Clearview"]


def test_customer_with_several_matching_contacts_is_listed_once(sales_client, salesperson):
    customer = CustomerFactory(owner=salesperson, name="Clearview")
    ContactFactory(customer=customer, name="Emily Carter")
    ContactFactory(customer=customer, name="Emily Brown")

    assert shown(sales_client.get(LIST_URL, {"q": "emily"})) == ["Clearview"]


def test_search_words_must_all_match(sales_client, salesperson):
    CustomerFactory(owner=salesperson, name="Harbor Logistics")
    CustomerFactory(owner=salesperson, name="Harbor Foods")

    assert shown(sales_client.get(LIST_URL, {"q": "harbor foods"})) == ["Harbor Foods"]


def test_salesperson_search_never_reaches_teammates_customers(sales_client, salesperson, teammate):
    CustomerFactory(owner=salesperson, name="Harbor Own")
    CustomerFactory(owner=teammate, name="Harbor Foreign")

    assert shown(sales_client.get(LIST_URL, {"q": "harbor"})) == ["Harbor Own"]


# --- filters ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("param", "value", "matching", "other"),
    [
        ("status", "active", {"status": "active"}, {"status": "lead"}),
        ("kind", "individual", {"kind": "individual"}, {"kind": "company"}),
        ("industry", "finance", {"industry": "finance"}, {"industry": "retail"}),
        ("source", "event", {"source": "event"}, {"source": "partner"}),
        ("rating", "A", {"rating": "A"}, {"rating": "C"}),
    ],
)
def test_salesperson_filters_list_by_choice(
    sales_client, salesperson, param, value, matching, other
):
    CustomerFactory(owner=salesperson, name="Wanted", **matching)
    CustomerFactory(owner=salesperson, name="Unwanted", **other)

    assert shown(sales_client.get(LIST_URL, {param: value})) == ["Wanted"]


def test_salesperson_filters_list_by_tag(sales_client, salesperson):
    vip = TagFactory(name="VIP")
    wanted = CustomerFactory(owner=salesperson, name="Wanted")
    wanted.tags.add(vip, TagFactory(name="Government"))
    CustomerFactory(owner=salesperson, name="Unwanted").tags.add(TagFactory(name="Overseas"))

    assert shown(sales_client.get(LIST_URL, {"tag": vip.pk})) == ["Wanted"]


def test_manager_filters_list_by_owner(manager_client, salesperson, teammate):
    CustomerFactory(owner=salesperson, name="Alice's")
    CustomerFactory(owner=teammate, name="Bob's")

    assert shown(manager_client.get(LIST_URL, {"owner": teammate.pk})) == ["Bob's"]


def test_salesperson_is_not_offered_the_owner_filter(sales_client, manager_client):
    assert "owner" not in sales_client.get(LIST_URL).context["filterset"].form.fields
    assert "owner" in manager_client.get(LIST_URL).context["filterset"].form.fields


@pytest.fixture
def current_and_archived(salesperson):
    CustomerFactory(owner=salesperson, name="Current")
    CustomerFactory(owner=salesperson, name="Archived", archived_at=timezone.now())


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Current"]),
        ({"archived": "active"}, ["Current"]),
        ({"archived": "archived"}, ["Archived"]),
        ({"archived": "all"}, ["Archived", "Current"]),
    ],
    ids=["default", "active", "archived", "all"],
)
def test_archive_filter_shows_the_chosen_customers(
    sales_client, current_and_archived, params, expected
):
    assert sorted(shown(sales_client.get(LIST_URL, params))) == expected


# --- sorting ----------------------------------------------------------------------------


@pytest.fixture
def sortable(manager):
    """Three customers whose every sortable value is ordered differently."""
    rows = [
        # name, status, industry, owner, created day, updated day
        ("Bravo", "prospect", "finance", "bert", 2, 3),
        ("Alpha", "inactive", "retail", "carl", 3, 2),
        ("Charlie", "active", "education", "anna", 1, 1),
    ]
    for name, status, industry, username, created, updated in rows:
        customer = CustomerFactory(
            name=name,
            status=status,
            industry=industry,
            owner=SalespersonFactory(
                username=username, first_name=username.title(), last_name="Test"
            ),
        )
        Customer.objects.filter(pk=customer.pk).update(
            created_at=datetime(2026, 1, created, tzinfo=UTC),
            updated_at=datetime(2026, 2, updated, tzinfo=UTC),
        )


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Alpha", "Bravo", "Charlie"]),
        ("status", ["Charlie", "Alpha", "Bravo"]),  # active, inactive, prospect
        ("industry", ["Charlie", "Bravo", "Alpha"]),  # education, finance, retail
        ("owner", ["Charlie", "Bravo", "Alpha"]),  # by the owner's name shown: Anna, Bert, Carl
        ("created", ["Charlie", "Bravo", "Alpha"]),
        ("updated", ["Charlie", "Alpha", "Bravo"]),
    ],
)
@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
def test_manager_sorts_list_by_each_column(manager_client, sortable, sort, expected, descending):
    param = f"-{sort}" if descending else sort

    names = shown(manager_client.get(LIST_URL, {"sort": param}))

    assert names == (expected[::-1] if descending else expected)


def test_list_defaults_to_most_recently_updated_first(manager_client, sortable):
    assert shown(manager_client.get(LIST_URL)) == ["Bravo", "Alpha", "Charlie"]


def test_unknown_sort_key_falls_back_to_default_order(manager_client, sortable):
    assert shown(manager_client.get(LIST_URL, {"sort": "owner__password"})) == [
        "Bravo",
        "Alpha",
        "Charlie",
    ]


def test_ties_in_sort_column_keep_a_stable_order(sales_client, salesperson):
    same = [CustomerFactory(owner=salesperson, status="lead") for _ in range(30)]
    expected = [c.name for c in sorted(same, key=lambda c: c.pk)]

    first = shown(sales_client.get(LIST_URL, {"sort": "status"}))
    second = shown(sales_client.get(LIST_URL, {"sort": "status", "page": 2}))

    assert first + second == expected


# --- junk parameters --------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "99999"},
        {"page": "-1"},
        {"page": "0"},
        {"status": "junk"},
        {"kind": "robot"},
        {"tag": "abc"},
        {"tag": "99999999"},
        {"owner": "xyz"},
        {"owner": "99999999999999999999"},
        {"id": "abc"},
        {"id": "99999999999999999999"},
        {"id": "1,,abc"},
        {"archived": "maybe"},
        {"q": "x" * 5000},
        {"q": "nul\x00byte"},
        {"q": "%_\\'\""},
        {"sort": ";DROP TABLE customers_customer;--"},
        {"sort": "-"},
    ],
    ids=lambda params: next(iter(params)),
)
@pytest.mark.parametrize("persona", ["sales_client", "manager_client"])
def test_junk_parameters_never_break_the_list(request, persona, customer, params):
    client = request.getfixturevalue(persona)

    response = client.get(LIST_URL, params)

    # Malformed record ids name nothing: 404 rather than every row.
    assert response.status_code == (404 if "id" in params else 200)


def test_page_past_the_end_shows_the_last_page(sales_client, salesperson):
    CustomerFactory.create_batch(30, owner=salesperson)

    response = sales_client.get(LIST_URL, {"page": "99999"})

    assert response.context["page_obj"].number == 2
    assert len(shown(response)) == 5


def test_list_naming_a_teammates_customer_by_id_is_404(sales_client, foreign_customer):
    response = sales_client.get(LIST_URL, {"id": foreign_customer.pk})

    assert response.status_code == 404


# --- query count ------------------------------------------------------------------------


def make_rows(owner, count):
    tags = [TagFactory(name="VIP"), TagFactory(name="Renewal due")]
    for customer in CustomerFactory.create_batch(count, owner=owner):
        customer.tags.set(tags)
        ContactFactory(customer=customer)


@pytest.mark.parametrize("persona", ["salesperson", "manager"])
def test_list_page_costs_the_same_queries_for_5_and_50_rows(
    request, client_for, salesperson, django_assert_num_queries, persona
):
    client = client_for(request.getfixturevalue(persona))
    make_rows(salesperson, 5)
    with CaptureQueriesContext(connection) as five_rows:
        assert len(shown(client.get(LIST_URL))) == 5

    make_rows(salesperson, 45)
    with django_assert_num_queries(len(five_rows)):
        assert len(shown(client.get(LIST_URL))) == 25


# --- capped count -----------------------------------------------------------------------


def test_count_beyond_the_cap_is_shown_with_a_plus(sales_client, salesperson, settings):
    settings.CRM_LIST_COUNT_CAP = 3
    CustomerFactory.create_batch(5, owner=salesperson)

    response = sales_client.get(LIST_URL)

    assert "of 3+" in response.content.decode()


def test_count_within_the_cap_is_exact(sales_client, salesperson, settings):
    settings.CRM_LIST_COUNT_CAP = 5
    CustomerFactory.create_batch(5, owner=salesperson)

    content = sales_client.get(LIST_URL).content.decode()

    assert "1–5 of 5" in content
    assert "5+" not in content


# --- what the page shows ----------------------------------------------------------------


def test_customer_name_with_markup_is_shown_as_text(sales_client, salesperson):
    CustomerFactory(owner=salesperson, name='<script>alert("x")</script>')

    content = sales_client.get(LIST_URL).content.decode()

    assert '<script>alert("x")</script>' not in content
    assert "&lt;script&gt;" in content


def test_export_link_carries_the_lists_filter_but_not_its_page(sales_client, customer):
    response = sales_client.get(LIST_URL, {"status": "active", "q": "acme", "page": "1"})

    export_url = reverse("customers:export")
    content = response.content.decode()
    assert f'href="{export_url}?status=active&amp;q=acme"' in content


def test_owner_column_is_shown_to_managers_only(sales_client, manager_client, customer):
    sales_page = sales_client.get(LIST_URL).content.decode()
    manager_page = manager_client.get(LIST_URL).content.decode()

    assert "sort=owner" not in sales_page
    assert "sort=owner" in manager_page


def test_a_salesperson_is_not_offered_the_owner_sort(sales_client, salesperson):
    """Every row is theirs: "owner" falls back to the default order instead of sorting on a
    column they do not see."""
    older, newer = CustomerFactory(owner=salesperson), CustomerFactory(owner=salesperson)
    Customer.objects.filter(pk=older.pk).update(updated_at=datetime(2026, 1, 1, tzinfo=UTC))

    response = sales_client.get(LIST_URL, {"sort": "owner"})

    assert response.context["current_sort"] == "-updated"
    assert shown(response) == [newer.name, older.name]
