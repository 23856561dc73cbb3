"""The duplicate-matching rules (customers.duplicates) the form, the import and the duplicates
page share: e-mail, phone digits, normalised name, similar name; who learns what."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from crm.roles import is_manager
from customers.duplicates import Reason, email_key, find_matches, find_matches_many, name_key
from customers.models import Customer
from tests.factories import CustomerFactory

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram similarity is PostgreSQL's"
)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Acme  Ltd", "acme ltd"),
        ("  ACME\tLtd ", "acme ltd"),
        ("ＡＣＭＥ Ｌｔｄ", "acme ltd"),  # full-width letters
        ("上海　华腾", "上海 华腾"),  # the ideographic space is a space
        ("Straße", "strasse"),  # case-folded, not just lower-cased
        ("", ""),
    ],
)
def test_name_key_ignores_case_width_and_spacing(typed, key):
    assert name_key(typed) == key


def test_email_key_is_trimmed_and_lower_case():
    assert email_key("  Buyer@ACME.com ") == "buyer@acme.com"


def test_saving_keeps_the_keys(salesperson):
    customer = CustomerFactory(owner=salesperson, name="ＡＣＭＥ Ltd", email="Buyer@Acme.com")
    assert (customer.name_key, customer.email_key) == ("acme ltd", "buyer@acme.com")

    customer.name = "Acme  Trading"
    customer.save(update_fields=["name"])

    customer.refresh_from_db()
    assert customer.name_key == "acme trading"


def test_bulk_created_customers_get_their_keys(salesperson):
    Customer.objects.bulk_create(
        [Customer(owner=salesperson, name="Ａcme", email="X@Y.cn", phone="+86 138-0000-0001")]
    )

    assert Customer.objects.values_list("name_key", "email_key", "phone_normalized").get() == (
        "acme",
        "x@y.cn",
        "8613800000001",
    )


def test_the_migration_fills_the_keys_of_existing_customers(salesperson):
    migration = importlib.import_module("customers.migrations.0008_duplicates_and_merges")
    plain = CustomerFactory(owner=salesperson, name="Acme  Ltd", email=" A@B.cn")
    # PostgreSQL's lower() keeps ß where Python's casefold() makes it ss: fixed in Python.
    folded = CustomerFactory(owner=salesperson, name="Straße ＧＭＢＨ", email="X@Y.DE")
    Customer.objects.update(name_key="", email_key="")

    migration.fill_keys(apps, None)

    assert list(Customer.objects.order_by("pk").values_list("pk", "name_key", "email_key")) == [
        (plain.pk, "acme ltd", "a@b.cn"),
        (folded.pk, "strasse gmbh", "x@y.de"),
    ]


def test_email_matches_whatever_its_case_and_spaces(salesperson):
    customer = CustomerFactory(owner=salesperson, email="Buyer@Acme.com")

    found = find_matches(by=salesperson, email="  buyer@ACME.COM ")

    assert found.visible == [customer]
    assert found.reasons == {customer.pk: [Reason.EMAIL]}


def test_phone_matches_on_its_digits(salesperson):
    customer = CustomerFactory(owner=salesperson, phone="+86 138-0013-8000")

    found = find_matches(by=salesperson, phone="0086 13800138000")

    assert found.matches() == [(customer, [Reason.PHONE])]


def test_full_width_name_matches_the_plain_one(salesperson):
    customer = CustomerFactory(owner=salesperson, name="Acme Ltd")

    found = find_matches(by=salesperson, name="ＡＣＭＥ　ＬＴＤ", similar=False)

    assert found.matches() == [(customer, [Reason.NAME])]


def test_a_match_on_several_rules_says_each_and_comes_first(salesperson):
    by_name = CustomerFactory(owner=salesperson, name="Acme Ltd")
    by_all = CustomerFactory(
        owner=salesperson, name="Acme Ltd", email="a@acme.com", phone="138 0000 0001"
    )

    found = find_matches(
        by=salesperson, name="acme ltd", email="A@acme.com", phone="13800000001", similar=False
    )

    assert found.matches() == [
        (by_all, [Reason.EMAIL, Reason.PHONE, Reason.NAME]),
        (by_name, [Reason.NAME]),
    ]


def test_nothing_to_match_on_finds_nothing_without_a_query(salesperson, django_assert_num_queries):
    CustomerFactory(owner=salesperson, email="", phone="")

    with django_assert_num_queries(0):
        assert not find_matches(by=salesperson, name=" ", email="", phone="---")


def test_the_customer_being_edited_and_merged_customers_do_not_match(salesperson):
    editing = CustomerFactory(owner=salesperson, email="a@acme.com")
    survivor = CustomerFactory(owner=salesperson)
    CustomerFactory(
        owner=salesperson, email="a@acme.com", merged_into=survivor, archived_at=timezone.now()
    )

    assert not find_matches(by=salesperson, email="a@acme.com", exclude_pk=editing.pk)


def test_an_archived_customer_still_matches(salesperson):
    archived = CustomerFactory(owner=salesperson, email="a@acme.com", archived_at=timezone.now())

    assert find_matches(by=salesperson, email="a@acme.com").visible == [archived]


def test_salesperson_sees_own_matches_and_only_counts_a_teammates(salesperson, teammate):
    own = CustomerFactory(owner=salesperson, name="Acme Ltd")
    CustomerFactory(owner=teammate, name="ACME LTD")
    CustomerFactory(owner=teammate, email="a@acme.com")

    found = find_matches(by=salesperson, name="Acme Ltd", email="a@acme.com", similar=False)

    assert found.visible == [own]
    assert found.hidden_count == 2
    assert found


def test_manager_sees_every_match_and_nothing_is_hidden(manager, salesperson, teammate):
    mine = CustomerFactory(owner=salesperson, email="a@acme.com")
    theirs = CustomerFactory(owner=teammate, email="A@acme.com")

    found = find_matches(by=manager, email="a@acme.com")

    assert set(found.visible) == {mine, theirs}
    assert found.hidden_count == 0


@postgresql_only
def test_similar_names_follow_the_exact_matches_on_postgresql(salesperson, teammate):
    exact = CustomerFactory(owner=salesperson, name="Northwind Trading Ltd")
    similar = CustomerFactory(owner=salesperson, name="Northwind Trading Limited")
    CustomerFactory(owner=salesperson, name="Southbank Foods")
    CustomerFactory(owner=teammate, name="Northwind Trading Co")  # never shown nor counted

    found = find_matches(by=salesperson, name="northwind trading ltd")

    assert found.matches() == [(exact, [Reason.NAME]), (similar, [Reason.SIMILAR_NAME])]
    assert found.hidden_count == 0
    assert not find_matches(by=salesperson, name="Northwind Trading Limted", similar=False)


def test_the_form_warning_matches_on_email_and_phone_only(salesperson):
    from customers.services import find_duplicates

    CustomerFactory(owner=salesperson, name="Acme Ltd", email="x@acme.com")

    assert not find_duplicates(email="y@acme.com", phone="", by=salesperson)
    assert find_duplicates(email="X@acme.com", phone="", by=salesperson)


# --- batches (the import) --------------------------------------------------------------------


def test_batch_answers_each_candidate_in_order(salesperson, teammate):
    by_email = CustomerFactory(owner=salesperson, email="a@acme.com")
    by_name = CustomerFactory(owner=salesperson, name="Acme Ltd")
    CustomerFactory(owner=teammate, phone="+86 139 0000 0000")

    found = find_matches_many(
        by=salesperson,
        candidates=[
            {"email": "A@ACME.com"},
            {"name": "ＡＣＭＥ ltd", "phone": ""},
            {"phone": "8613900000000"},
            {"name": "Nobody"},
        ],
    )

    assert [d.matches() for d in found] == [
        [(by_email, [Reason.EMAIL])],
        [(by_name, [Reason.NAME])],
        [],
        [],
    ]
    assert [d.hidden_count for d in found] == [0, 0, 1, 0]


def test_batch_counts_a_teammates_customer_once_whatever_rules_it_matches(salesperson, teammate):
    CustomerFactory(owner=teammate, name="Acme", email="a@acme.com", phone="138 0000 0001")

    (found,) = find_matches_many(
        by=salesperson,
        candidates=[{"name": "acme", "email": "a@acme.com", "phone": "13800000001"}],
    )

    assert (found.visible, found.hidden_count) == ([], 1)


def test_batch_for_a_manager_shows_everyones(manager, salesperson, teammate):
    mine = CustomerFactory(owner=salesperson, email="a@acme.com")
    theirs = CustomerFactory(owner=teammate, email="a@acme.com")

    (found,) = find_matches_many(by=manager, candidates=[{"email": "a@acme.com"}])

    assert set(found.visible) == {mine, theirs}
    assert found.hidden_count == 0


def _batch(size, owner, teammate):
    candidates = []
    for n in range(size):
        CustomerFactory(owner=owner, name=f"Own {n}", email=f"own{n}@example.com")
        CustomerFactory(owner=teammate, phone=f"+86 137 {n:04d} 0000")
        candidates.append(
            {"name": f"OWN {n}", "email": f"OWN{n}@example.com", "phone": f"86137{n:04d}0000"}
        )
    return candidates


@pytest.mark.parametrize("size", [10, 100])
def test_batch_costs_the_same_queries_for_10_or_100_candidates(
    size, salesperson, teammate, django_assert_num_queries
):
    candidates = _batch(size, salesperson, teammate)
    is_manager(salesperson)  # the role is looked up once per request, not per batch

    # One query per rule and one for the customers shown; around the rules' queries, a
    # savepoint with the planner setting turned off and back on (four statements).
    with django_assert_num_queries(8):
        found = find_matches_many(by=salesperson, candidates=candidates)

    assert [(len(d.visible), d.hidden_count) for d in found] == [(1, 1)] * size


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_batch_phone_matching_never_reads_the_trigram_search_index(salesperson):
    """The trigram index of the list's phone search also answers ``=``; a batch that read it
    took seconds instead of milliseconds (docs/performance.md)."""
    Customer.objects.bulk_create(
        Customer(name=f"C{n}", phone=f"86177{n % 10}000{n:04d}", owner=salesperson)
        for n in range(3000)
    )
    candidates = [{"phone": f"86177{n % 10}000{n * 7:04d}"} for n in range(300)]
    plans = []

    def explain_phone_query(execute, sql, params, many, context):
        if "phone_normalized" in sql and "ROW_NUMBER" in sql:
            database_cursor = context["cursor"].cursor  # psycopg's, past this wrapper
            database_cursor.execute("EXPLAIN " + sql, params)
            plans.append("\n".join(row[0] for row in database_cursor.fetchall()))
            print(plans[-1])
        return execute(sql, params, many, context)

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE customers_customer")
        # Where a plain scan is out of the question (a large table), only indexes are left.
        cursor.execute("SET LOCAL enable_seqscan = off")
    with connection.execute_wrapper(explain_phone_query):
        find_matches_many(by=salesperson, candidates=candidates)

    assert len(plans) == 1
    assert "customer_phone_digits_trgm" not in plans[0]
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_bitmapscan")
        assert cursor.fetchone() == ("on",)
