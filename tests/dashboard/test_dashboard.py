"""The dashboard's figures against hand-computed values, for a salesperson and a manager, on
the page and in each CSV export.

One team, one period (a custom one, so that the figures do not depend on today's date):
2025-03-01 to 2025-04-30 (61 days); the period before it is 2024-12-30 to 2025-02-28.
"""

import csv
import io
import re
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from crm.csv_export import csv_cell
from crm.models import ExportLog
from opportunities.models import Opportunity
from orders.models import Order
from tests.factories import (
    CommunicationFactory,
    CustomerFactory,
    OpportunityFactory,
    OrderFactory,
    QuoteFactory,
    SalespersonFactory,
    quote_with_lines,
)

PERIOD = {"period": "custom", "start": "2025-03-01", "end": "2025-04-30"}
PAGE = reverse("dashboard")
EXPORT = reverse("dashboard_export")


def at(day: str, hour: int = 12, minute: int = 0) -> datetime:
    """A moment in the installation's time zone."""
    return timezone.make_aware(datetime.fromisoformat(day).replace(hour=hour, minute=minute))


def deal(customer, stage, amount, *, created=None, closed=None, close_date=None):
    opportunity = OpportunityFactory(
        customer=customer, stage=stage, amount=Decimal(amount), expected_close_date=close_date
    )
    changes = {}
    if created:
        changes["created_at"] = at(created)
    if closed:
        changes["closed_at"] = closed if isinstance(closed, datetime) else at(closed)
    if changes:
        Opportunity.objects.filter(pk=opportunity.pk).update(**changes)
    return opportunity


def order(opportunity, status, total, confirmed=None):
    quote = QuoteFactory(opportunity=opportunity, status="accepted")
    made = OrderFactory(quote=quote, status=status, total=Decimal(total))
    if confirmed:
        Order.objects.filter(pk=made.pk).update(
            confirmed_at=confirmed if isinstance(confirmed, datetime) else at(confirmed)
        )
    return made


def moved(opportunity, source, target, day):
    StateLog.objects.create(
        content_object=opportunity,
        source_state=source,
        state=target,
        transition="move",
        timestamp=at(day),
    )


@pytest.fixture
def team(salesperson, teammate, manager, customer, foreign_customer):
    """Alice (``salesperson``) and Bob (``teammate``), with deals, orders, quotes, follow-ups
    and stage history in the period, before it and after it."""
    alice, bob = customer, foreign_customer
    today = timezone.localdate()
    carol = SalespersonFactory(first_name="Carol", last_name="Zhou")  # no figures at all
    # Open pipeline now.
    a1 = deal(alice, "prospecting", "1000", close_date="2025-03-10")
    deal(alice, "qualified", "2000")
    deal(alice, "qualified", "4000", close_date="2025-06-01")
    deal(alice, "negotiation", "3000", close_date="2025-04-20")
    b1 = deal(bob, "proposal", "5000", close_date="2025-03-31")
    # Won and lost.
    deal(alice, "won", "10000", created="2025-02-28", closed="2025-03-10", close_date="2025-03-15")
    deal(alice, "won", "6000", created="2025-03-31", closed="2025-04-05")
    deal(alice, "won", "8000", created="2025-01-01", closed="2025-02-10")  # the period before
    deal(alice, "won", "99000", created="2025-04-01", closed="2025-05-02")  # after the period
    deal(alice, "lost", "1500", closed="2025-04-08")
    deal(bob, "won", "20000", created="2025-03-01", closed="2025-03-25")
    deal(bob, "lost", "700", closed="2025-03-12")
    deal(bob, "lost", "800", closed="2025-04-15")
    # Orders: only confirmed, fulfilled and completed ones confirmed in the period are sales.
    order(a1, "confirmed", "1000.00", "2025-03-03")
    order(a1, "fulfilled", "2500.00", "2025-03-15")
    order(a1, "completed", "500.00", at("2025-04-30", 23, 30))  # the period's last evening
    order(a1, "pending_approval", "9999.00")
    order(a1, "cancelled", "7777.00", "2025-03-20")
    order(a1, "confirmed", "300.00", "2025-02-20")  # the period before
    order(b1, "confirmed", "4000.00", "2025-03-10")
    order(b1, "confirmed", "6000.00", at("2025-05-01", 0, 30))  # just after the period
    # Quotes in progress and waiting for approval.
    quote_with_lines(opportunity=a1, lines=((2, "1500.00", "0"),), status="pending_approval")
    quote_with_lines(opportunity=a1, lines=((1, "800.00", "10"),))  # draft, 720.00
    quote_with_lines(opportunity=b1, lines=((1, "400.00", "0"),), status="pending_approval")
    # Follow-ups.
    CommunicationFactory(customer=alice, follow_up_on=today - timedelta(days=2))
    CommunicationFactory(customer=alice, follow_up_on=today)
    CommunicationFactory(customer=alice, follow_up_on=today + timedelta(days=3))
    CommunicationFactory(
        customer=alice, follow_up_on=today - timedelta(days=1), follow_up_done=True
    )
    CommunicationFactory(customer=bob, follow_up_on=today - timedelta(days=1))
    # Stage history (deals kept out of every other figure: closed, without a close time).
    d1, d2, d3 = (deal(alice, "won", "1"), deal(alice, "lost", "1"), deal(alice, "lost", "1"))
    d4, d5 = deal(bob, "won", "1"), deal(bob, "lost", "1")
    moved(d1, "prospecting", "qualified", "2025-03-02")
    moved(d1, "qualified", "proposal", "2025-03-05")
    moved(d1, "proposal", "won", "2025-03-09")
    moved(d2, "prospecting", "qualified", "2025-03-03")
    moved(d2, "qualified", "lost", "2025-03-08")
    moved(d3, "qualified", "proposal", "2025-02-15")  # the period before
    moved(d3, "proposal", "negotiation", "2025-03-04")
    moved(d4, "negotiation", "won", "2025-03-20")
    moved(d5, "prospecting", "qualified", "2025-05-03")  # after the period
    return {"carol": carol}


def page(client, **params):
    response = client.get(PAGE, {**PERIOD, **params})
    assert response.status_code == 200
    return response


def rows(response, name, *keys):
    """A report's rows on the page, as tuples of the named values."""
    return [tuple(row[key] for key in keys) for row in response.context["tables"][name].rows]


def section(response, element_id) -> str:
    found = re.search(rf'<section id="{element_id}".*?</section>', response.text, re.S)
    assert found, element_id
    return found.group(0)


D = Decimal


# The salesperson's dashboard: their own figures only.


def test_salesperson_sees_own_open_pipeline_by_stage(sales_client, team):
    response = page(sales_client)
    assert rows(response, "pipeline", "stage", "count", "amount", "weighted") == [
        ("prospecting", 1, D("1000"), D("100")),
        ("qualified", 2, D("6000"), D("1500")),
        ("proposal", 0, D("0"), D("0")),
        ("negotiation", 1, D("3000"), D("2250")),
    ]
    assert response.context["tables"]["pipeline"].totals == {
        "count": 4,
        "amount": D("10000"),
        "weighted": D("3850"),
    }


def test_salesperson_sees_won_and_sales_against_the_previous_period(sales_client, team):
    won = page(sales_client).context["tables"]["won"].rows
    keys = ("won_count", "won_amount", "orders", "sales")
    assert [won[0][key] for key in keys] == [2, D("16000"), 3, D("4000")]
    assert [won[1][key] for key in keys] == [1, D("8000"), 1, D("300")]
    assert [won[2][key] for key in keys] == [D("100.0"), D("100.0"), D("200.0"), D("1233.3")]
    assert (won[0]["start"].isoformat(), won[0]["end"].isoformat()) == ("2025-03-01", "2025-04-30")
    assert (won[1]["start"].isoformat(), won[1]["end"].isoformat()) == ("2024-12-30", "2025-02-28")


def test_salesperson_sees_follow_ups_due_with_a_link_to_the_list(sales_client, team):
    response = page(sales_client)
    assert rows(response, "follow_ups", "count") == [(1,), (1,)]
    html = section(response, "report-follow-ups")
    assert reverse("communications:follow_ups") in html


def test_salesperson_sees_where_quotes_and_orders_wait(sales_client, team):
    response = page(sales_client)
    assert rows(response, "quotes", "status", "count", "amount") == [
        ("draft", 1, D("720.00")),
        ("pending_approval", 1, D("3000.00")),
        ("approved", 0, D("0")),
        ("rejected", 0, D("0")),
        ("sent", 0, D("0")),
    ]
    assert rows(response, "orders", "status", "count", "amount") == [
        ("draft", 0, D("0")),
        ("pending_approval", 1, D("9999.00")),
        ("confirmed", 2, D("1300.00")),
        ("rejected", 0, D("0")),
        ("fulfilled", 1, D("2500.00")),
    ]
    html = section(response, "report-my-quotes-orders")
    assert f"{reverse('quotes:list')}?status=pending_approval" in html
    assert f"{reverse('orders:list')}?status=fulfilled" in html


def test_salesperson_never_sees_a_teammates_figures_or_the_team_reports(sales_client, team):
    response = page(sales_client)
    assert "Bob Li" not in response.text
    for report in ("forecast", "win-rate", "sales-by-person", "conversion", "deal-size"):
        assert f'id="report-{report}"' not in response.text
    assert 'id="report-approvals"' not in response.text
    for report in ("sales_by_person", "conversion", "approvals", "forecast"):
        assert sales_client.get(EXPORT, {"report": report, **PERIOD}).status_code == 404


# The manager's dashboard: the team.


def test_manager_sees_the_teams_pipeline_by_stage(manager_client, team):
    response = page(manager_client)
    assert rows(response, "pipeline", "count", "amount", "weighted") == [
        (1, D("1000"), D("100")),
        (2, D("6000"), D("1500")),
        (1, D("5000"), D("2500")),
        (1, D("3000"), D("2250")),
    ]


def test_manager_sees_the_teams_won_and_sales_against_the_previous_period(manager_client, team):
    won = page(manager_client).context["tables"]["won"].rows
    keys = ("won_count", "won_amount", "orders", "sales")
    assert [won[0][key] for key in keys] == [3, D("36000"), 4, D("8000")]
    assert [won[1][key] for key in keys] == [1, D("8000"), 1, D("300")]
    assert [won[2][key] for key in keys] == [D("200.0"), D("350.0"), D("300.0"), D("2566.7")]


def test_manager_sees_the_forecast_by_month_of_the_period(manager_client, team):
    forecast = page(manager_client).context["tables"]["forecast"]
    assert [
        (r["month"].isoformat(), r["open_count"], r["open_amount"], r["weighted"], r["won_amount"])
        for r in forecast.rows
    ] == [
        ("2025-03-01", 2, D("6000"), D("2600"), D("10000")),
        ("2025-04-01", 1, D("3000"), D("2250"), D("0")),
    ]
    assert forecast.totals == {
        "open_count": 3,
        "open_amount": D("9000"),
        "weighted": D("4850"),
        "won_amount": D("10000"),
    }


def test_manager_sees_win_rate_per_month_and_per_salesperson(manager_client, team):
    response = page(manager_client)
    assert rows(response, "win_rate", "won", "lost", "rate") == [
        (2, 1, D("66.7")),
        (1, 2, D("33.3")),
    ]
    assert response.context["tables"]["win_rate"].totals == {"won": 3, "lost": 3, "rate": D("50.0")}
    assert rows(response, "win_rate_by_person", "name", "won", "lost", "rate") == [
        ("Alice Wang", 2, 1, D("66.7")),
        ("Bob Li", 1, 2, D("33.3")),
        ("Carol Zhou", 0, 0, None),
    ]


def test_manager_sees_sales_per_salesperson_from_booked_orders_only(manager_client, team):
    response = page(manager_client)
    assert rows(response, "sales_by_person", "name", "orders", "sales") == [
        ("Alice Wang", 3, D("4000.00")),
        ("Bob Li", 1, D("4000.00")),
        ("Carol Zhou", 0, D("0.00")),
    ]
    html = section(response, "report-sales-by-person")
    assert re.search(r"Alice Wang</th>\s*<td[^>]*>3</td>\s*<td[^>]*>CNY 4,000.00</td>", html)
    assert re.search(r"Bob Li</th>\s*<td[^>]*>1</td>\s*<td[^>]*>CNY 4,000.00</td>", html)


def test_manager_sees_stage_to_stage_conversion_from_the_history(manager_client, team):
    response = page(manager_client)
    assert rows(
        response, "conversion", "stage", "deals", "moved_on", "conversion", "won", "lost"
    ) == [
        ("prospecting", 2, 2, D("100.0"), 1, 1),
        ("qualified", 2, 1, D("50.0"), 1, 1),
        ("proposal", 2, 2, D("100.0"), 1, 0),
        ("negotiation", 2, 1, D("50.0"), 1, 0),
    ]
    assert "entered or left that stage in the period" in section(response, "report-conversion")


def test_manager_sees_average_deal_size_and_sales_cycle(manager_client, team):
    rows_ = page(manager_client).context["tables"]["deal_size"].rows
    assert [(r["count"], r["average"], r["cycle"]) for r in rows_] == [
        (3, D("12000.00"), D("13.0")),
        (1, D("8000.00"), D("40.0")),
    ]


def test_manager_sees_what_waits_for_approval(manager_client, team):
    response = page(manager_client)
    assert rows(response, "approvals", "count", "amount") == [(2, D("3400.00")), (1, D("9999.00"))]
    assert f'href="{reverse("approvals")}"' in section(response, "report-approvals")


def test_every_report_section_is_on_the_page_for_its_role(sales_client, manager_client, team):
    mine = page(sales_client).text
    for report in ("pipeline", "follow-ups", "my-quotes-orders", "won"):
        assert f'<section id="report-{report}"' in mine
    theirs = page(manager_client).text
    for report in ("pipeline", "won", "forecast", "win-rate", "sales-by-person"):
        assert f'<section id="report-{report}"' in theirs
    for report in ("conversion", "deal-size", "approvals"):
        assert f'<section id="report-{report}"' in theirs
    assert 'id="report-follow-ups"' not in theirs


def test_charts_carry_the_tables_figures_without_inline_script(manager_client, team):
    response = page(manager_client)
    chart = response.context["charts"]["sales_by_person"]
    assert chart["labels"] == ["Alice Wang", "Bob Li", "Carol Zhou"]
    assert chart["datasets"][0]["data"] == [4000.0, 4000.0, 0.0]
    assert '<script id="chart-sales-by-person" type="application/json">' in response.text
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    for tag in re.findall(r"<script\b[^>]*>", response.text):
        assert 'type="application/json"' in tag or f'nonce="{nonce}"' in tag
    assert 'src="/static/vendor/chartjs/chart.umd.min.js"' in response.text
    assert 'src="/static/js/dashboard.js"' in response.text


# CSV exports: the page's figures, with a BOM, headers and an entry in the export log.


def export(client, report, **params):
    response = client.get(EXPORT, {"report": report, **PERIOD, **params})
    assert response.status_code == 200, report
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


@pytest.mark.parametrize("role", ["salesperson", "manager"])
def test_every_report_exports_the_pages_figures(role, sales_client, manager_client, team):
    client = sales_client if role == "salesperson" else manager_client
    tables = page(client).context["tables"]
    for name, table in tables.items():
        expected = [[csv_cell(value) for value in row] for row in table.export_rows()]
        assert export(client, name) == expected, name
        log = ExportLog.objects.get(list_name=f"dashboard:{name}")
        assert log.completed and log.row_count == len(expected) - 1
        assert "start=2025-03-01" in log.query_string


def test_sales_by_person_export_has_readable_headers_and_plain_figures(manager_client, team):
    assert export(manager_client, "sales_by_person") == [
        ["Salesperson", "Orders booked", "Sales"],
        ["Alice Wang", "3", "4000.00"],
        ["Bob Li", "1", "4000.00"],
        ["Carol Zhou", "0", "0.00"],
        ["Total", "4", "8000.00"],
    ]


def test_won_export_has_iso_dates_and_the_change(sales_client, team):
    assert export(sales_client, "won") == [
        ["Period", "From", "To", "Deals won", "Won amount", "Orders booked", "Sales from orders"],
        ["This period", "2025-03-01", "2025-04-30", "2", "16000.00", "3", "4000.00"],
        ["Previous period", "2024-12-30", "2025-02-28", "1", "8000.00", "1", "300.00"],
        ["Change (%)", "", "", "100.0", "100.0", "200.0", "1233.3"],
    ]


def test_forecast_export_writes_months_as_year_and_month(manager_client, team):
    assert [row[0] for row in export(manager_client, "forecast")] == [
        "Month",
        "2025-03",
        "2025-04",
        "Total",
    ]


def test_unknown_report_is_not_found(manager_client, team):
    assert manager_client.get(EXPORT, {"report": "nope"}).status_code == 404
    assert manager_client.get(EXPORT).status_code == 404
    assert not ExportLog.objects.exists()


def test_anonymous_visitor_is_sent_to_login(client, db):
    for url in (PAGE, f"{EXPORT}?report=pipeline"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_outsider_customer_records_stay_out_of_a_salespersons_export(sales_client, team):
    other = CustomerFactory()
    deal(other, "proposal", "123456")
    assert export(sales_client, "pipeline")[-1] == ["Total", "4", "10000.00", "3850.00"]
