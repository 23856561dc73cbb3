import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from customers.menus import CUSTOMER_CHOICES_LIMIT
from customers.models import Customer
from opportunities.models import Opportunity
from tests.factories import CustomerFactory, OpportunityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def deal(customer):
    return OpportunityFactory(customer=customer, stage="qualified", amount=Decimal("8000.00"))


def page_urls(deal):
    return [
        reverse("opportunities:detail", kwargs={"pk": deal.pk}),
        reverse("opportunities:update", kwargs={"pk": deal.pk}),
        reverse("opportunities:export") + f"?id={deal.pk}",
        reverse("opportunities:list") + f"?id={deal.pk}",
    ]


def test_owner_and_manager_open_every_page_of_a_deal(sales_client, manager_client, deal):
    for client in (sales_client, manager_client):
        for url in page_urls(deal):
            assert client.get(url).status_code == 200, url


def test_teammate_gets_404_on_every_url_of_someone_elses_deal(client, teammate, deal):
    client.force_login(teammate)
    for url in page_urls(deal):
        assert client.get(url).status_code == 404, url
    stage_url = reverse("opportunities:change_stage", kwargs={"pk": deal.pk})
    assert client.post(stage_url, {"to": "won"}).status_code == 404
    update_url = reverse("opportunities:update", kwargs={"pk": deal.pk})
    assert client.post(update_url, {"name": "Hijacked", "amount": "1"}).status_code == 404
    deal.refresh_from_db()
    assert (deal.stage, deal.name) == ("qualified", deal.name)
    assert deal.name != "Hijacked"


def test_anonymous_is_sent_to_login(client, deal):
    for url in [
        *page_urls(deal),
        reverse("opportunities:board"),
        reverse("opportunities:forecast"),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_stage_change_refuses_get(sales_client, deal):
    url = reverse("opportunities:change_stage", kwargs={"pk": deal.pk})
    assert sales_client.get(url).status_code == 405


def test_create_form_is_prefilled_from_the_customer_page(sales_client, customer):
    response = sales_client.get(reverse("opportunities:create") + f"?customer={customer.pk}")
    assert response.context["form"].initial["customer"] == str(customer.pk)


def menu(response) -> list[str]:
    return [
        label
        for value, label in response.context["form"].fields["customer"].widget.choices
        if value
    ]


def test_create_form_lists_a_short_customer_menu_and_finds_the_others(sales_client, salesperson):
    CustomerFactory.create_batch(CUSTOMER_CHOICES_LIMIT + 5, owner=salesperson)
    CustomerFactory(owner=salesperson, name="Zephyr Dairy")
    Customer.objects.filter(name="Zephyr Dairy").update(
        updated_at=timezone.now() - timedelta(days=9)
    )

    page = sales_client.get(reverse("opportunities:create"))
    found = sales_client.get(reverse("opportunities:create"), {"find": "zephyr"})

    assert len(menu(page)) == CUSTOMER_CHOICES_LIMIT and "Zephyr Dairy" not in menu(page)
    assert 'id="find-customer"' in page.text
    assert menu(found) == ["Zephyr Dairy"]


def test_a_customer_outside_the_menu_can_still_be_chosen(sales_client, salesperson):
    customers = CustomerFactory.create_batch(CUSTOMER_CHOICES_LIMIT + 5, owner=salesperson)
    oldest = customers[0]
    Customer.objects.filter(pk=oldest.pk).update(updated_at=timezone.now() - timedelta(days=9))

    form = sales_client.get(reverse("opportunities:create"), {"customer": oldest.pk})
    response = sales_client.post(
        reverse("opportunities:create"),
        {"customer": oldest.pk, "name": "Renewal", "stage": "prospecting", "amount": "10"},
    )

    assert menu(form)[0] == oldest.name
    assert response.status_code == 302
    assert Opportunity.objects.get().customer == oldest


def test_crafted_create_on_a_foreign_customer_is_refused(sales_client, foreign_customer):
    response = sales_client.post(
        reverse("opportunities:create"),
        {"customer": foreign_customer.pk, "name": "Steal", "stage": "prospecting", "amount": "10"},
    )
    assert response.status_code == 200
    assert "customer" in response.context["form"].errors
    assert not Opportunity.objects.exists()


def test_salesperson_creates_a_deal_from_the_form(sales_client, customer, salesperson):
    response = sales_client.post(
        reverse("opportunities:create"),
        {
            "customer": customer.pk,
            "name": "Pilot",
            "stage": "proposal",
            "amount": "5000",
            "expected_close_date": "2030-01-31",
        },
    )
    deal = Opportunity.objects.get()
    assert response.status_code == 302 and response["Location"] == deal.get_absolute_url()
    assert (deal.owner, deal.stage, deal.probability) == (salesperson, "proposal", 50)


def test_posting_a_stage_to_the_edit_form_does_not_change_it(sales_client, deal):
    url = reverse("opportunities:update", kwargs={"pk": deal.pk})
    response = sales_client.post(url, {"name": "Renamed", "amount": "8000", "stage": "won"})
    assert response.status_code == 302
    deal.refresh_from_db()
    assert (deal.name, deal.stage) == ("Renamed", "qualified")


def test_edit_form_overrides_and_resets_probability(sales_client, deal):
    url = reverse("opportunities:update", kwargs={"pk": deal.pk})
    sales_client.post(url, {"name": deal.name, "amount": "8000", "probability": "60"})
    deal.refresh_from_db()
    assert (deal.probability, deal.probability_is_custom, deal.weighted_amount) == (
        60,
        True,
        Decimal("4800.00"),
    )
    sales_client.post(url, {"name": deal.name, "amount": "8000", "probability": ""})
    deal.refresh_from_db()
    assert (deal.probability, deal.probability_is_custom) == (25, False)


def test_stage_buttons_offer_only_allowed_moves_and_record_history(sales_client, deal):
    detail = reverse("opportunities:detail", kwargs={"pk": deal.pk})
    targets = [t.value for t in sales_client.get(detail).context["stage_targets"]]
    assert targets == ["prospecting", "proposal", "negotiation", "won", "lost"]
    url = reverse("opportunities:change_stage", kwargs={"pk": deal.pk})
    response = sales_client.post(url, {"to": "proposal"}, follow=True)
    assert response.redirect_chain[-1][0] == detail
    history = response.context["history"]
    assert [(h["source"], h["target"]) for h in history] == [("Qualified", "Proposal")]


def test_refused_transition_shows_a_message_and_changes_nothing(sales_client, deal):
    url = reverse("opportunities:change_stage", kwargs={"pk": deal.pk})
    response = sales_client.post(url, {"to": "lost", "note": ""}, follow=True)
    assert response.status_code == 200
    assert any("lost" in str(m) for m in response.context["messages"])
    deal.refresh_from_db()
    assert deal.stage == "qualified"
    response = sales_client.post(url, {"to": "nonsense"}, follow=True)
    assert response.status_code == 200
    deal.refresh_from_db()
    assert deal.stage == "qualified"


def test_list_filters_by_stage_amount_and_close_date(sales_client, customer):
    today = timezone.localdate()
    small = OpportunityFactory(customer=customer, amount=100, expected_close_date=today)
    big = OpportunityFactory(
        customer=customer,
        stage="proposal",
        amount=90000,
        expected_close_date=today + timedelta(days=90),
    )
    url = reverse("opportunities:list")

    def names(query):
        return [o.name for o in sales_client.get(url, query).context["object_list"]]

    assert names({"stage": "proposal"}) == [big.name]
    assert names({"amount_min": "1000"}) == [big.name]
    assert names({"amount_max": "1000"}) == [small.name]
    assert names({"close_before": (today + timedelta(days=1)).isoformat()}) == [small.name]
    assert names({"sort": "amount"}) == [small.name, big.name]
    assert names({"sort": "-weighted"}) == [big.name, small.name]
    assert names({"q": customer.name}) == names({})


@pytest.mark.parametrize(
    "query",
    [
        {"stage": "junk"},
        {"amount_min": "abc"},
        {"close_after": "2020-13-45"},
        {"customer": "x"},
        {"owner": "999999"},
        {"sort": "-nope"},
        {"page": "-3"},
        {"open": "maybe"},
    ],
)
def test_junk_parameters_never_break_the_list(sales_client, deal, query):
    assert sales_client.get(reverse("opportunities:list"), query).status_code == 200
    assert sales_client.get(reverse("opportunities:export"), query).status_code == 200


def test_list_query_count_does_not_grow_with_rows(
    client, manager, salesperson, django_assert_num_queries
):
    customer = CustomerFactory(owner=salesperson)
    OpportunityFactory.create_batch(5, customer=customer)
    for user in (salesperson, manager):
        client.force_login(user)
        with CaptureQueriesContext(connection) as small:
            client.get(reverse("opportunities:list"))
        OpportunityFactory.create_batch(45, customer=customer)
        with django_assert_num_queries(len(small.captured_queries)):
            response = client.get(reverse("opportunities:list"))
        assert len(response.context["object_list"]) == 25
        Opportunity.objects.filter(
            pk__in=Opportunity.objects.order_by("-pk").values("pk")[:45]
        ).delete()


def test_export_has_exactly_the_filtered_rows(sales_client, customer, foreign_customer):
    OpportunityFactory.create_batch(30, customer=customer, stage="proposal")
    OpportunityFactory.create_batch(3, customer=customer, stage="qualified")
    OpportunityFactory.create_batch(4, customer=foreign_customer, stage="proposal")
    response = sales_client.get(
        reverse("opportunities:export"), {"stage": "proposal", "sort": "name"}
    )
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(content[1:])))
    listed = Opportunity.objects.filter(customer=customer, stage="proposal").order_by("name", "pk")
    assert [r["Name"] for r in rows] == [o.name for o in listed]
    assert {r["Stage"] for r in rows} == {"Proposal"}
    assert rows[0]["Weighted amount"] == "5000.00"


def test_board_shows_open_stages_with_hand_computed_totals(
    sales_client, customer, foreign_customer
):
    OpportunityFactory(customer=customer, stage="qualified", amount=1000, probability=25)
    OpportunityFactory(customer=customer, stage="qualified", amount=3000, probability=60)
    OpportunityFactory(customer=customer, stage="negotiation", amount=2000, probability=75)
    OpportunityFactory(customer=customer, stage="won", amount=9999, probability=100)
    OpportunityFactory(customer=foreign_customer, stage="qualified", amount=5000)
    response = sales_client.get(reverse("opportunities:board"))
    columns = {c["stage"].value: c for c in response.context["columns"]}
    assert list(columns) == ["prospecting", "qualified", "proposal", "negotiation"]
    assert (columns["qualified"]["count"], columns["qualified"]["amount"]) == (
        2,
        Decimal("4000.00"),
    )
    assert columns["qualified"]["weighted"] == Decimal("2050.00")  # 250 + 1800
    assert (columns["negotiation"]["count"], columns["negotiation"]["weighted"]) == (
        1,
        Decimal("1500.00"),
    )
    assert columns["proposal"]["count"] == 0
    assert response.context["total"]["amount"] == Decimal("6000.00")


def test_moving_a_card_with_htmx_returns_the_board(sales_client, deal):
    url = reverse("opportunities:change_stage", kwargs={"pk": deal.pk})
    response = sales_client.post(url, {"to": "negotiation", "board": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="board"' in response.text and "<html" not in response.text
    deal.refresh_from_db()
    assert deal.stage == "negotiation"


def test_board_without_javascript_moves_and_returns_to_the_board(sales_client, deal):
    url = reverse("opportunities:change_stage", kwargs={"pk": deal.pk})
    board = reverse("opportunities:board") + "?period=this_year"
    response = sales_client.post(url, {"to": "won", "next": board})
    assert response["Location"] == board
    response = sales_client.post(url, {"to": "won", "next": "https://evil.example.com/"})
    assert response["Location"] == deal.get_absolute_url()


def test_board_and_forecast_query_counts_do_not_grow(
    client, manager, salesperson, django_assert_num_queries
):
    customer = CustomerFactory(owner=salesperson)
    today = timezone.localdate()
    for user in (salesperson, manager):
        client.force_login(user)
        for name in ("opportunities:board", "opportunities:forecast"):
            OpportunityFactory.create_batch(2, customer=customer, expected_close_date=today)
            # ?refresh=1: a manager's forecast is worked out again, not read from the cache.
            with CaptureQueriesContext(connection) as small:
                client.get(reverse(name), {"refresh": "1"})
            for stage in ("prospecting", "proposal", "won"):
                OpportunityFactory.create_batch(
                    10,
                    customer=customer,
                    stage=stage,
                    expected_close_date=today + timedelta(days=40),
                )
            with django_assert_num_queries(len(small.captured_queries)):
                client.get(reverse(name), {"refresh": "1"})


def test_forecast_groups_by_month_with_hand_computed_figures(
    client, manager, salesperson, teammate
):
    mine, theirs = CustomerFactory(owner=salesperson), CustomerFactory(owner=teammate)
    OpportunityFactory(
        customer=mine,
        stage="proposal",
        amount=1000,
        probability=50,
        expected_close_date=date(2031, 1, 5),
    )
    OpportunityFactory(
        customer=mine,
        stage="qualified",
        amount=2000,
        probability=25,
        expected_close_date=date(2031, 1, 20),
    )
    OpportunityFactory(
        customer=mine,
        stage="won",
        amount=700,
        probability=100,
        expected_close_date=date(2031, 1, 9),
    )
    OpportunityFactory(
        customer=mine,
        stage="lost",
        amount=5000,
        probability=0,
        expected_close_date=date(2031, 1, 9),
    )
    OpportunityFactory(
        customer=theirs,
        stage="proposal",
        amount=4000,
        probability=50,
        expected_close_date=date(2031, 2, 1),
    )

    client.force_login(salesperson)
    rows = list(client.get(reverse("opportunities:forecast")).context["rows"])
    assert [
        (r["month"], r["open_count"], r["open_amount"], r["weighted"], r["won_amount"])
        for r in rows
    ] == [(date(2031, 1, 1), 2, Decimal("3000.00"), Decimal("1000.00"), Decimal("700.00"))]

    client.force_login(manager)
    response = client.get(reverse("opportunities:forecast"))
    rows = [(r["month"], r["owner__username"], r["weighted"]) for r in response.context["rows"]]
    assert rows == [
        (date(2031, 1, 1), salesperson.username, Decimal("1000.00")),
        (date(2031, 2, 1), teammate.username, Decimal("2000.00")),
    ]
    assert response.context["totals"]["weighted"] == Decimal("3000.00")

    export = client.get(reverse("opportunities:forecast_export"))
    lines = list(csv.reader(io.StringIO(export.content.decode("utf-8").lstrip("\ufeff"))))
    assert lines[0][:2] == ["Month", "Owner"]
    assert lines[1][:2] == ["2031-01", salesperson.username]
    assert lines[2][4] == "2000.00"


def test_a_managers_forecast_is_the_teams_snapshot_until_worked_out_again(manager_client, customer):
    url = reverse("opportunities:forecast")
    OpportunityFactory(customer=customer, stage="proposal", amount=Decimal("100.00"))
    manager_client.get(url)
    OpportunityFactory(customer=customer, stage="proposal", amount=Decimal("50.00"))

    cached = manager_client.get(url)
    fresh = manager_client.get(url, {"sort": "close", "refresh": "1"}, follow=True)

    assert cached.context["totals"]["open_amount"] == Decimal("100.00")
    assert 'id="figures-as-of"' in cached.text
    assert fresh.redirect_chain == [(f"{url}?sort=close", 302)]
    assert fresh.context["totals"]["open_amount"] == Decimal("150.00")


def test_a_salespersons_forecast_is_live(sales_client, customer):
    url = reverse("opportunities:forecast")
    OpportunityFactory(customer=customer, stage="proposal", amount=Decimal("100.00"))
    sales_client.get(url)
    OpportunityFactory(customer=customer, stage="proposal", amount=Decimal("50.00"))

    page = sales_client.get(url)

    assert page.context["totals"]["open_amount"] == Decimal("150.00")
    assert 'id="figures-as-of"' not in page.text
