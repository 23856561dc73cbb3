"""The list page and its CSV export: filters, search, sort, access, and a fixed query count."""

import csv
import io
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    CommunicationFactory,
    CustomerFactory,
    OpportunityFactory,
    SalespersonFactory,
)


def listed(response):
    return [c.pk for c in response.context["object_list"]]


def exported(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:])))


def test_salesperson_sees_only_own_customers_communications(
    sales_client, communication, foreign_communication
):
    assert listed(sales_client.get(reverse("communications:list"))) == [communication.pk]


def test_manager_sees_everything(manager_client, communication, foreign_communication):
    response = manager_client.get(reverse("communications:list"))
    assert set(listed(response)) == {communication.pk, foreign_communication.pk}


def test_default_order_is_newest_first(sales_client, customer):
    now = timezone.now()
    old = CommunicationFactory(customer=customer, occurred_at=now - timedelta(days=3))
    new = CommunicationFactory(customer=customer, occurred_at=now - timedelta(hours=1))
    middle = CommunicationFactory(customer=customer, occurred_at=now - timedelta(days=1))
    response = sales_client.get(reverse("communications:list"))
    assert listed(response) == [new.pk, middle.pk, old.pk]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ("channel=email", {"email"}),
        ("direction=inbound", {"inbound"}),
        ("q=discount", {"discount"}),
        ("q=DISCOUNT+offer", {"discount"}),
        ("follow_up=none", {"email", "inbound"}),
        ("follow_up=open", {"overdue", "upcoming"}),
        ("follow_up=overdue", {"overdue"}),
        ("follow_up=due", {"overdue"}),
        ("follow_up=done", {"done"}),
    ],
)
def test_filters_and_search(sales_client, customer, params, expected):
    today = timezone.localdate()
    rows = {
        "email": CommunicationFactory(customer=customer, channel="email", subject="Sent brochure"),
        "inbound": CommunicationFactory(
            customer=customer, direction="inbound", subject="They called"
        ),
        "discount": CommunicationFactory(
            customer=customer,
            subject="Pricing",
            content="Asked for a Discount on the offer",
            follow_up_on=today + timedelta(days=60),
            follow_up_done=True,
        ),
        "overdue": CommunicationFactory(
            customer=customer, subject="Chase", follow_up_on=today - timedelta(days=1)
        ),
        "upcoming": CommunicationFactory(
            customer=customer, subject="Later", follow_up_on=today + timedelta(days=5)
        ),
    }
    rows["done"] = rows["discount"]
    response = sales_client.get(reverse("communications:list") + "?" + params)
    wanted = {rows[key].pk for key in expected}
    assert set(listed(response)) == wanted


def test_customer_and_opportunity_filters_from_links(sales_client, salesperson, customer):
    deal = OpportunityFactory(customer=customer)
    about_deal = CommunicationFactory(opportunity=deal)
    plain = CommunicationFactory(customer=customer)
    elsewhere = CommunicationFactory(customer=CustomerFactory(owner=salesperson))
    url = reverse("communications:list")
    response = sales_client.get(f"{url}?customer={customer.pk}")
    assert set(listed(response)) == {about_deal.pk, plain.pk}
    assert response.context["filter_customer"] == customer
    assert customer.name in response.text
    response = sales_client.get(f"{url}?opportunity={deal.pk}")
    assert listed(response) == [about_deal.pk]
    assert elsewhere.pk not in listed(sales_client.get(f"{url}?customer={customer.pk}"))


def test_customer_filter_is_never_a_menu(sales_client, customer):
    response = sales_client.get(reverse("communications:list"))
    assert '<select name="customer"' not in response.text
    assert '<input type="hidden" name="customer"' in response.text


def test_filtering_by_a_foreign_customer_shows_nothing(sales_client, foreign_communication):
    url = reverse("communications:list") + f"?customer={foreign_communication.customer_id}"
    response = sales_client.get(url)
    assert listed(response) == []
    assert foreign_communication.customer.name not in response.text


def test_date_range_includes_both_days(sales_client, customer):
    def at(day, hour):
        return timezone.make_aware(datetime(2026, 3, day, hour))

    before = CommunicationFactory(customer=customer, occurred_at=at(9, 23))
    first = CommunicationFactory(customer=customer, occurred_at=at(10, 0))
    last = CommunicationFactory(customer=customer, occurred_at=at(12, 23))
    after = CommunicationFactory(customer=customer, occurred_at=at(13, 0))
    url = reverse("communications:list") + "?occurred_after=2026-03-10&occurred_before=2026-03-12"
    assert set(listed(sales_client.get(url))) == {first.pk, last.pk}
    assert before.pk not in listed(sales_client.get(url)) and after.pk


def test_author_filter_is_for_managers_only(sales_client, manager_client, salesperson, customer):
    mine = CommunicationFactory(customer=customer)
    other_author = SalespersonFactory()
    theirs = CommunicationFactory(customer=customer, author=other_author)
    url = reverse("communications:list") + f"?author={other_author.pk}"
    assert listed(manager_client.get(url)) == [theirs.pk]
    response = sales_client.get(url)
    assert set(listed(response)) == {mine.pk, theirs.pk}
    assert 'name="author"' not in response.text


@pytest.mark.parametrize(
    "sort",
    [
        "occurred",
        "-occurred",
        "subject",
        "-subject",
        "channel",
        "-channel",
        "customer",
        "-customer",
        "follow_up",
        "-follow_up",
    ],
)
def test_every_sort_key_works(sales_client, customer, sort):
    CommunicationFactory.create_batch(3, customer=customer)
    response = sales_client.get(reverse("communications:list") + f"?sort={sort}")
    assert response.status_code == 200
    assert response.context["current_sort"] == sort
    assert len(listed(response)) == 3


def test_sort_by_subject(sales_client, customer):
    b = CommunicationFactory(customer=customer, subject="Beta")
    a = CommunicationFactory(customer=customer, subject="Alpha")
    response = sales_client.get(reverse("communications:list") + "?sort=subject")
    assert listed(response) == [a.pk, b.pk]


@pytest.mark.parametrize(
    "query",
    [
        "channel=fax",
        "direction=sideways",
        "customer=abc",
        "customer=-1",
        "customer=99999999999999999999999999",
        "opportunity=1.5",
        "author=abc",
        "author=999999",
        "occurred_after=yesterday",
        "occurred_before=9999-12-31",
        "occurred_after=0001-01-01",
        "follow_up=maybe",
        "sort=drop table",
        "sort=-",
        "page=abc",
        "page=-3",
        "page=99999",
        "q=%00",
        "q=" + "x" * 2000,
        "id=abc",
    ],
)
@pytest.mark.parametrize("persona", ["sales_client", "manager_client"])
def test_junk_parameters_never_fail(request, persona, communication, query):
    client = request.getfixturevalue(persona)
    for name in ("communications:list", "communications:export"):
        response = client.get(reverse(name) + "?" + query)
        assert response.status_code in (200, 404), (name, query)
        if name == "communications:export" and response.status_code == 200:
            exported(response)


@pytest.mark.parametrize("rows", [5, 50])
@pytest.mark.parametrize(("persona", "extra"), [("sales_client", 0), ("manager_client", 2)])
def test_list_query_count_does_not_grow_with_rows(
    request, persona, extra, customer, django_assert_num_queries, rows
):
    client = request.getfixturevalue(persona)
    today = timezone.localdate()
    deal = OpportunityFactory(customer=customer)
    for i in range(rows):
        CommunicationFactory(
            customer=CustomerFactory(owner=customer.owner) if i % 2 else customer,
            opportunity=deal if i % 3 == 0 else None,
            follow_up_on=today + timedelta(days=i - 3) if i % 4 == 0 else None,
        )
    url = reverse("communications:list") + f"?customer={customer.pk}&page=1"
    client.get(url)  # warm caches shared by every page (content types, sessions)
    # session, user, role, row count, the named customer, navigation follow-up count, rows;
    # a manager's filter form adds the menu of salespeople, the navigation the Approvals count.
    with django_assert_num_queries(7 + extra):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["object_list"]) == min((rows + 1) // 2, 25)
    with django_assert_num_queries(6 + extra):
        client.get(reverse("communications:list"))


def test_export_has_exactly_the_filtered_rows(sales_client, customer, foreign_communication):
    keep = CommunicationFactory(
        customer=customer, channel="email", subject="=SUM(A1)", direction="inbound"
    )
    CommunicationFactory(customer=customer, channel="phone")
    response = sales_client.get(reverse("communications:export") + "?channel=email")
    assert response["Content-Type"].startswith("text/csv")
    rows = exported(response)
    assert [row["ID"] for row in rows] == [str(keep.pk)]
    row = rows[0]
    assert row["Channel"] == "E-mail"
    assert row["Direction"] == "Inbound"
    assert row["Customer"] == customer.name
    assert row["Subject"] == "'=SUM(A1)"
    assert row["When"] == timezone.localtime(keep.occurred_at).replace(microsecond=0).isoformat()
    assert row["Follow-up done"] == "no"


def test_export_dates_are_iso(sales_client, customer):
    CommunicationFactory(customer=customer, follow_up_on=timezone.localdate())
    row = exported(sales_client.get(reverse("communications:export")))[0]
    assert row["Follow up on"] == timezone.localdate().isoformat()
    datetime.fromisoformat(row["When"])
    datetime.fromisoformat(row["Created"])


def test_export_of_a_salesperson_never_includes_foreign_rows(
    sales_client, communication, foreign_communication
):
    rows = exported(sales_client.get(reverse("communications:export")))
    assert [row["ID"] for row in rows] == [str(communication.pk)]


def test_export_in_chinese_has_translated_headers(sales_client, communication):
    response = sales_client.get(
        reverse("communications:export"), headers={"Accept-Language": "zh-hans"}
    )
    rows = exported(response)
    assert "渠道" in rows[0]
