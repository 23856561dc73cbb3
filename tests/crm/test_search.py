"""The free-text search (``q``) of the lists: which rows match, however a word is found.

Every word must match some search field, whatever the case; a field of a related record (a
deal's customer, a customer's contacts) matches through ids looked up first, or row by row
when a word matches too many related rows. Both ways list the same rows.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import crm.filters
from tests.factories import (
    CommunicationFactory,
    ContactFactory,
    CustomerFactory,
    OpportunityFactory,
    OrderFactory,
    QuoteFactory,
)


@pytest.fixture(params=["ids", "row by row"])
def related_lookup(request, monkeypatch):
    """Run a test with related matches passed as ids, and again as if every word matched too
    many related rows to pass (each related row then checked in the query itself)."""
    if request.param == "row by row":
        monkeypatch.setattr(crm.filters, "RELATED_IDS_LIMIT", 0)
    return request.param


def listed(client, url_name, q) -> list:
    response = client.get(reverse(url_name), {"q": q})
    assert response.status_code == 200
    return list(response.context["object_list"])


def names(client, url_name, q) -> list[str]:
    return sorted(row.name for row in listed(client, url_name, q))


def test_customer_found_by_contact_name_and_own_name_together(
    sales_client, salesperson, related_lookup
):
    clearview = CustomerFactory(owner=salesperson, name="Clearview Trading")
    ContactFactory(customer=clearview, name="Emily Carter")
    ContactFactory(customer=CustomerFactory(owner=salesperson, name="Lakeside"), name="Emily Li")
    CustomerFactory(owner=salesperson, name="Carterton Clearview")

    # "carter" is found in a contact's name, "clearview" in the customer's own name.
    assert names(sales_client, "customers:list", "CARTER clearview") == [
        "Carterton Clearview",
        "Clearview Trading",
    ]
    assert names(sales_client, "customers:list", "emily") == ["Clearview Trading", "Lakeside"]


def test_customer_with_several_matching_contacts_is_listed_once(
    sales_client, salesperson, related_lookup
):
    customer = CustomerFactory(owner=salesperson, name="Clearview")
    ContactFactory(customer=customer, name="Emily Carter")
    ContactFactory(customer=customer, name="Emily Brown")

    assert names(sales_client, "customers:list", "Emily") == ["Clearview"]


def test_each_word_may_match_a_different_contact(sales_client, salesperson, related_lookup):
    customer = CustomerFactory(owner=salesperson, name="Clearview")
    ContactFactory(customer=customer, name="Emily Carter")
    ContactFactory(customer=customer, name="David Brown")
    ContactFactory(customer=CustomerFactory(owner=salesperson, name="Lakeside"), name="Emily")

    assert names(sales_client, "customers:list", "emily brown") == ["Clearview"]


def test_chinese_words_match_customer_and_contact_names(sales_client, salesperson, related_lookup):
    qingdao = CustomerFactory(owner=salesperson, name="青岛同创恒基制造有限公司")
    ContactFactory(customer=qingdao, name="欧阳娜娜")
    CustomerFactory(owner=salesperson, name="杭州盛世正泰教育咨询有限公司")

    assert names(sales_client, "customers:list", "同创恒基") == [qingdao.name]
    assert names(sales_client, "customers:list", "欧阳娜娜 有限公司") == [qingdao.name]
    assert len(names(sales_client, "customers:list", "有限公司")) == 2


def test_salesperson_never_finds_teammates_customers_through_contacts(
    sales_client, salesperson, teammate, related_lookup
):
    ContactFactory(customer=CustomerFactory(owner=salesperson, name="Own"), name="Emily Carter")
    ContactFactory(customer=CustomerFactory(owner=teammate, name="Foreign"), name="Emily Carter")

    assert names(sales_client, "customers:list", "emily carter") == ["Own"]


def test_deal_found_by_customer_name_and_deal_name_together(
    sales_client, salesperson, related_lookup
):
    sunpoint = CustomerFactory(owner=salesperson, name="Sunpoint Foods GmbH")
    renewal = OpportunityFactory(customer=sunpoint, name="Annual licence renewal")
    OpportunityFactory(customer=sunpoint, name="Data centre expansion")
    OpportunityFactory(
        customer=CustomerFactory(owner=salesperson, name="Harbor Ltd"), name="Renewal"
    )

    assert names(sales_client, "opportunities:list", "sunpoint foods gmbh") == [
        "Annual licence renewal",
        "Data centre expansion",
    ]
    # "Sunpoint" matches the customer, "renewal" the deal: both words, two fields.
    assert names(sales_client, "opportunities:list", "Renewal SUNPOINT") == [renewal.name]


def test_deal_found_by_next_step(sales_client, salesperson, related_lookup):
    customer = CustomerFactory(owner=salesperson, name="Harbor Ltd")
    OpportunityFactory(customer=customer, name="Pilot", next_step="安排演示 on site")
    OpportunityFactory(customer=customer, name="Rollout", next_step="Send the contract")

    assert names(sales_client, "opportunities:list", "安排演示 harbor") == ["Pilot"]


def test_communication_found_by_a_reference_in_its_subject_or_content(sales_client, customer):
    in_content = CommunicationFactory(customer=customer, content="Ref. PO-427568, due in May")
    in_subject = CommunicationFactory(customer=customer, subject="po-427568 follow-up")
    CommunicationFactory(customer=customer, content="Ref. PO-427569, due in June")

    found = listed(sales_client, "communications:list", "PO-427568")

    assert sorted(row.pk for row in found) == sorted([in_content.pk, in_subject.pk])


def test_quote_found_by_number_or_customer_name(sales_client, salesperson, related_lookup):
    zebra = CustomerFactory(owner=salesperson, name="Zebra Logistics")
    wanted = QuoteFactory(opportunity=OpportunityFactory(customer=zebra), number="Q-2025-00042")
    other = QuoteFactory(
        opportunity=OpportunityFactory(customer=CustomerFactory(owner=salesperson)),
        number="Q-2025-00420",
    )

    def numbers(q):
        return sorted(quote.number for quote in listed(sales_client, "quotes:list", q))

    assert numbers("q-2025-00042") == [wanted.number]
    assert numbers("0042") == [wanted.number, other.number]
    assert numbers("zebra 2025") == [wanted.number]


def test_order_found_by_number_or_customer_name(sales_client, salesperson, related_lookup):
    zebra = CustomerFactory(owner=salesperson, name="Zebra Logistics")
    wanted = OrderFactory(
        quote__opportunity=OpportunityFactory(customer=zebra), number="SO-2025-00042"
    )
    OrderFactory(
        quote__opportunity=OpportunityFactory(customer=CustomerFactory(owner=salesperson)),
        number="SO-2025-00043",
    )

    def numbers(q):
        return [order.number for order in listed(sales_client, "orders:list", q)]

    assert numbers("so-2025-00042") == [wanted.number]
    assert numbers("ZEBRA so-2025") == [wanted.number]


def test_search_query_count_does_not_depend_on_the_matches(sales_client, salesperson):
    """One look-up per related field for the longest word, whatever it finds."""
    url = reverse("opportunities:list") + "?q=Sunpoint+deal"
    OpportunityFactory(customer=CustomerFactory(owner=salesperson, name="Sunpoint"))
    sales_client.get(url)  # warm caches shared by every page (content types, sessions)
    with CaptureQueriesContext(connection) as one:
        sales_client.get(url)
    for i in range(5):
        OpportunityFactory(customer=CustomerFactory(owner=salesperson, name=f"Sunpoint {i}"))
    with CaptureQueriesContext(connection) as six:
        response = sales_client.get(url)

    assert len(response.context["object_list"]) == 6
    assert len(six.captured_queries) == len(one.captured_queries)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="an array on PostgreSQL only")
def test_related_matches_reach_the_query_as_one_array(sales_client, salesperson):
    """The ids a word found in a related table are one constant array in the list's query
    (what PostgreSQL makes of an IN list anyway), not a parameter each."""
    customers = [CustomerFactory(owner=salesperson, name=f"Sunpoint {i}") for i in range(3)]
    for customer in customers:
        OpportunityFactory(customer=customer, name="Deal")
    OpportunityFactory(customer=CustomerFactory(owner=salesperson, name="Other"), name="Deal")
    with CaptureQueriesContext(connection) as queries:
        found = listed(sales_client, "opportunities:list", "sunpoint")

    assert sorted(deal.customer_id for deal in found) == [c.pk for c in customers]
    ids = ",".join(str(customer.pk) for customer in customers)
    array = f"\"customer_id\" = ANY('{{{ids}}}'::"
    assert any(
        array in query["sql"] and "::bigint[])" in query["sql"]
        for query in queries.captured_queries
    )
