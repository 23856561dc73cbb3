"""A manager's dashboard reuses the team's figures for a while and says since when; a
salesperson's own figures are always live."""

import re
from datetime import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from crm.snapshot import team_aggregates
from opportunities.models import Opportunity
from tests.factories import CustomerFactory, ManagerFactory, OpportunityFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("dashboard")


def customer_total(response) -> int:
    return response.context["customer_total"]


def test_a_managers_team_figures_wait_for_the_next_computation(manager_client, salesperson):
    CustomerFactory(owner=salesperson)
    first = manager_client.get(PAGE)
    CustomerFactory(owner=salesperson)

    again = manager_client.get(PAGE)

    assert customer_total(first) == customer_total(again) == 1
    assert re.search(r"Team figures as of \d\d:\d\d", again.text)
    assert 'id="refresh-figures"' in again.text


def test_asking_for_new_figures_counts_again(manager_client, salesperson):
    CustomerFactory(owner=salesperson)
    manager_client.get(PAGE)
    CustomerFactory(owner=salesperson)

    refreshed = manager_client.get(PAGE, {"refresh": "1"}, follow=True)

    assert customer_total(refreshed) == 2
    assert customer_total(manager_client.get(PAGE)) == 2  # and the new ones are kept


def test_after_working_figures_out_the_address_no_longer_asks_for_it(manager_client, salesperson):
    query = {"period": "custom", "start": "2026-01-01", "end": "2026-03-31", "refresh": "1"}
    manager_client.get(PAGE)
    CustomerFactory(owner=salesperson)

    response = manager_client.get(PAGE, query)

    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}?period=custom&start=2026-01-01&end=2026-03-31"
    CustomerFactory(owner=salesperson)
    reloaded = manager_client.get(response["Location"])
    assert customer_total(reloaded) == 1  # the figures worked out before the reload


def test_figures_expire_after_the_configured_time(manager_client, salesperson, settings):
    settings.CRM_TEAM_FIGURES_SECONDS = 0  # Django's cache keeps nothing for 0 seconds
    manager_client.get(PAGE)
    CustomerFactory(owner=salesperson)

    assert customer_total(manager_client.get(PAGE)) == 1


def test_managers_share_the_team_figures(manager_client, client_for, salesperson):
    CustomerFactory(owner=salesperson)
    manager_client.get(PAGE)
    CustomerFactory(owner=salesperson)

    other_manager = client_for(ManagerFactory())

    assert customer_total(other_manager.get(PAGE)) == 1


def test_a_salespersons_figures_are_live(sales_client, salesperson):
    CustomerFactory(owner=salesperson)
    sales_client.get(PAGE)
    CustomerFactory(owner=salesperson)

    page = sales_client.get(PAGE)

    assert customer_total(page) == 2
    assert "Team figures as of" not in page.text


def test_each_period_has_its_own_figures(manager_client, customer):
    won = OpportunityFactory(customer=customer, stage="won")
    Opportunity.objects.filter(pk=won.pk).update(
        closed_at=timezone.make_aware(datetime(2025, 4, 10, 12))
    )
    march = {"period": "custom", "start": "2025-03-01", "end": "2025-03-31"}
    april = {"period": "custom", "start": "2025-04-01", "end": "2025-04-30"}

    in_march = manager_client.get(PAGE, march).context["dashboard"].won.rows[0]
    in_april = manager_client.get(PAGE, april).context["dashboard"].won.rows[0]

    assert (in_march["won_count"], in_april["won_count"]) == (0, 1)


@pytest.mark.django_db(transaction=True)  # SET LOCAL lasts until the outermost commit
def test_team_figures_are_worked_out_with_parallel_workers():
    """The app's sessions run without them (crm.env); whole-table aggregates use them."""
    with team_aggregates(), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('max_parallel_workers_per_gather')")
        inside = cursor.fetchone()[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('max_parallel_workers_per_gather')")
        after = cursor.fetchone()[0]

    assert (inside, after) == ("2", "0")
