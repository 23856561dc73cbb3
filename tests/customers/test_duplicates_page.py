"""The "Possible duplicates" page (customers:duplicates): likely pairs among the customers the
user may see, a page at a time along the shared keys (customers.shared_keys)."""

import random
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from customers import duplicate_pairs
from customers.duplicate_pairs import Cursor, duplicate_page
from customers.models import Customer, SharedKey
from tests.factories import CustomerFactory

URL = reverse("customers:duplicates")


def merge_links(response) -> list[tuple[int, int]]:
    """(kept, other) of every "Compare and merge" link on the page."""
    return [
        (int(keep), int(other))
        for keep, other in re.findall(r'/customers/(\d+)/merge/\?other=(\d+)"', response.text)
    ]


def all_pairs(user) -> set[tuple[str, int, int]]:
    """Every (reason, kept, other) of every page, walking the cursor to the end."""
    found, cursor = set(), Cursor()
    for _page in range(1000):
        page = duplicate_page(user, cursor)
        for group in page.groups:
            found |= {(group.rule.reason, p.keep.pk, p.other.pk) for p in group.pairs()}
        if page.next is None:
            return found
        cursor = page.next
    raise AssertionError("the walk never ends")


def test_salesperson_sees_own_pairs_and_not_a_teammates(sales_client, salesperson, teammate):
    first = CustomerFactory(owner=salesperson, name="Acme Ltd")
    second = CustomerFactory(owner=salesperson, name="ＡＣＭＥ  LTD")
    CustomerFactory.create_batch(2, owner=teammate, name="Zenith Co")
    CustomerFactory(owner=teammate, name="Acme Ltd")  # a teammate's twin of her own

    response = sales_client.get(URL)

    assert response.status_code == 200
    assert merge_links(response) == [(first.pk, second.pk)]
    assert "Zenith" not in response.text
    assert "same name" in response.text


def test_manager_sees_pairs_across_owners(manager_client, customer, foreign_customer):
    foreign_customer.email = customer.email.upper()
    foreign_customer.save()

    response = manager_client.get(URL)

    assert merge_links(response) == [(customer.pk, foreign_customer.pk)]


def test_each_rule_finds_its_pairs_once_and_says_every_shared_reason(salesperson):
    a = CustomerFactory(owner=salesperson, name="A", email="X@acme.com", phone="1")
    b = CustomerFactory(owner=salesperson, name="B", email="x@acme.com", phone="2")
    c = CustomerFactory(owner=salesperson, name="C", email="", phone="+86 138 0000 0001")
    d = CustomerFactory(owner=salesperson, name="c", email="", phone="0086 13800000001")

    groups = duplicate_page(salesperson, Cursor()).groups

    # c and d share a name too, but they are listed once, under the first rule they share.
    assert [(g.rule.reason, [(p.keep, p.other, p.reasons) for p in g.pairs()]) for g in groups] == [
        ("email", [(a, b, ["email"])]),
        ("phone", [(c, d, ["phone", "name"])]),
        ("name", []),
    ]


def test_current_customers_come_first_and_merged_ones_never(salesperson):
    archived = CustomerFactory(owner=salesperson, name="Acme", archived_at=timezone.now())
    current = CustomerFactory(owner=salesperson, name="Acme")
    CustomerFactory(owner=salesperson, name="Acme", merged_into=current)

    (group,) = duplicate_page(salesperson, Cursor()).groups

    assert [(p.keep, p.other) for p in group.pairs()] == [(current, archived)]
    assert group.count == 2


def test_a_large_group_shows_its_first_customers_and_says_how_many(
    sales_client, salesperson, monkeypatch
):
    monkeypatch.setattr(duplicate_pairs, "MEMBERS", 3)
    twins = CustomerFactory.create_batch(5, owner=salesperson, name="John Smith")

    response = sales_client.get(URL)

    assert merge_links(response) == [(twins[0].pk, twins[1].pk), (twins[0].pk, twins[2].pk)]
    assert "5 customers share “john smith”" in response.text


@pytest.mark.parametrize(
    ("read_limit", "page_size", "page_pairs"),
    [(500, 20, 20), (3, 2, 20), (1, 1, 20), (7, 3, 20), (500, 20, 3), (2, 20, 1)],
)
def test_walking_every_page_finds_every_pair_once(
    salesperson, monkeypatch, read_limit, page_size, page_pairs
):
    monkeypatch.setattr(duplicate_pairs, "READ_LIMIT", read_limit)
    monkeypatch.setattr(duplicate_pairs, "PAGE_SIZE", page_size)
    monkeypatch.setattr(duplicate_pairs, "PAGE_PAIRS", page_pairs)
    rng = random.Random(7)
    customers = [
        CustomerFactory(
            owner=salesperson,
            name=f"Name {rng.randrange(12)}",
            email=f"e{rng.randrange(15)}@example.com",
            phone=f"138 {rng.randrange(15):04d}",
        )
        for _ in range(30)
    ]
    fields = {"email": "email", "phone": "phone_normalized", "name": "name"}

    def key(customer, reason):
        return getattr(customer, fields[reason]).lower()

    expected = set()
    for reason in fields:
        groups = {}
        for customer in customers:
            groups.setdefault(key(customer, reason), []).append(customer)
        for members in groups.values():
            first, *others = sorted(members, key=lambda c: c.pk)[: duplicate_pairs.MEMBERS]
            for other in others:
                earliest = next(r for r in fields if key(first, r) == key(other, r))
                if earliest == reason:
                    expected.add((reason, first.pk, other.pk))

    assert all_pairs(salesperson) == expected


def test_the_next_page_starts_where_this_one_stopped(sales_client, salesperson, monkeypatch):
    monkeypatch.setattr(duplicate_pairs, "PAGE_SIZE", 1)
    first = CustomerFactory.create_batch(2, owner=salesperson, name="Alpha")
    second = CustomerFactory.create_batch(2, owner=salesperson, name="Beta")

    page_one = sales_client.get(URL)
    next_url = re.search(r'href="([^"]+)" rel="next"', page_one.text).group(1)
    page_two = sales_client.get(next_url.replace("&amp;", "&"))

    assert merge_links(page_one) == [(first[0].pk, first[1].pk)]
    assert merge_links(page_two) == [(second[0].pk, second[1].pk)]
    assert 'rel="next"' not in page_two.text


@pytest.mark.parametrize("query", ["?rule=bogus&after=x", "?rule=name&after=" + "z" * 3000])
def test_a_malformed_cursor_never_fails(sales_client, query):
    assert sales_client.get(URL + query).status_code == 200


def test_the_page_costs_the_same_queries_with_more_pairs(
    client_for, salesperson, django_assert_num_queries
):
    client = client_for(salesperson)
    counts = []
    for pairs in (2, 12):
        for n in range(pairs):
            CustomerFactory.create_batch(2, owner=salesperson, name=f"Twin {pairs}-{n}")
        # Session, user, role; the shared keys (the first rule's, none; the rules' after it);
        # the groups' customers (of the one rule with any); the navigation's badge.
        with django_assert_num_queries(3 + 2 + 1 + 1):
            response = client.get(URL)
        counts.append(len(merge_links(response)))
    assert counts == [2, 14]


def test_a_page_ends_with_the_group_that_fills_its_pairs(sales_client, salesperson, monkeypatch):
    monkeypatch.setattr(duplicate_pairs, "PAGE_PAIRS", 3)
    for name in ("Alpha", "Beta", "Gamma"):
        CustomerFactory.create_batch(3, owner=salesperson, name=name)

    first = sales_client.get(URL)
    next_url = re.search(r'href="([^"]+)" rel="next"', first.text).group(1)
    second = sales_client.get(next_url.replace("&amp;", "&"))

    assert len(merge_links(first)) == 4  # Alpha's two pairs, then Beta's
    assert "Gamma" not in first.text
    assert len(merge_links(second)) == 2
    assert 'rel="next"' not in second.text


def test_a_manager_sees_each_customers_owner(manager_client, salesperson):
    salesperson.first_name, salesperson.last_name = "Alice", "Wang"
    salesperson.save()
    CustomerFactory.create_batch(2, owner=salesperson, name="Zeta", email="")

    response = manager_client.get(URL)

    assert response.text.count("— · ") == 2
    assert response.text.count("Alice Wang") == 2


def test_a_key_no_longer_shared_is_skipped(manager_client, manager, salesperson):
    SharedKey.objects.create(rule=2, key="ghost ltd")  # its twin was deleted by SQL
    twins = CustomerFactory.create_batch(2, owner=salesperson, name="Zeta")

    response = manager_client.get(URL)

    assert merge_links(response) == [(twins[0].pk, twins[1].pk)]
    assert "ghost" not in response.text
    assert 'rel="next"' not in response.text


def test_a_page_of_stale_keys_offers_to_continue(client_for, manager, salesperson, monkeypatch):
    monkeypatch.setattr(duplicate_pairs, "READ_LIMIT", 2)
    SharedKey.objects.bulk_create(SharedKey(rule=0, key=f"gone{n}@example.com") for n in range(3))
    twins = CustomerFactory.create_batch(2, owner=salesperson, name="Zeta")
    client = client_for(manager)

    first = client.get(URL)
    next_url = re.search(r'href="([^"]+)" rel="next"', first.text).group(1)
    second = client.get(next_url.replace("&amp;", "&"))

    assert merge_links(first) == []
    assert merge_links(second) == [(twins[0].pk, twins[1].pk)]


def test_the_customer_list_links_to_the_page(sales_client):
    assert URL in sales_client.get(reverse("customers:list")).text


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
@pytest.mark.parametrize("persona", ["salesperson", "manager"])
def test_every_step_of_the_page_reads_an_index(db, request, persona):
    """The plans, with scans of whole tables discouraged: the shared keys come in key order
    from the user's own index of them (a manager's: everyone's), sorting nothing, and the
    groups' customers from the indexes of their keys."""
    user = request.getfixturevalue(persona)
    owner = user if persona == "salesperson" else request.getfixturevalue("salesperson")
    CustomerFactory.create_batch(3, owner=owner, name="Twin")
    CustomerFactory.create_batch(2, owner=owner, email="twin@example.com")
    # Enough others for the owner's index alone to be the dearer way to a key.
    Customer.objects.bulk_create(
        CustomerFactory.build(owner=owner, name_key=f"other {n}", email_key=f"o{n}@example.com")
        for n in range(300)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE customers_customer")
        cursor.execute("ANALYZE customers_sharedkey")
        cursor.execute("SET enable_seqscan = off")

    with CaptureQueriesContext(connection) as captured:
        page = duplicate_page(user, Cursor())

    assert [(group.rule.reason, group.count) for group in page.groups] == [
        ("email", 2),
        ("name", 3),
    ]
    statements = [q["sql"] for q in captured.captured_queries]
    reads = [sql for sql in statements if 'FROM "customers_sharedkey"' in sql]
    members = [sql for sql in statements if "ROW_NUMBER" in sql]
    index = "shared_key_owner" if persona == "salesperson" else "shared_key_everyone"
    assert len(reads) == 2  # the first rule's keys, then the rules after it
    for sql in reads:
        plan = explain(sql, "SET LOCAL enable_sort = off")
        assert re.search(rf"Index (Only )?Scan using {index} ", plan), plan
        assert "Sort" not in plan, plan
    assert len(members) == 2  # one per rule with keys on the page
    for sql, rule in zip(members, ("email", "name"), strict=True):
        plan = explain(sql)
        assert re.search(rf"Index Scan (using|on) customer_(owner_)?{rule}_key ", plan), plan
        assert re.search(rf"Index Cond: \(.*\({rule}_key\)::text = ", plan), plan


def explain(sql: str, *settings: str) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        for setting in settings:
            cursor.execute(setting)
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())
