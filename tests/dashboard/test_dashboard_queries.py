"""The dashboard's query count does not grow with the data: every figure is an aggregate."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from opportunities.models import Opportunity
from opportunities.stages import OPEN_STAGES
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

PAGE = reverse("dashboard")
# The team's figures are worked out again (not taken from the cache) on every request here;
# the page then redirects to its address without ``refresh``.
FRESH = {"refresh": "1"}


def add_activity(owner, n: int) -> None:
    """``n`` of everything the dashboard counts, for ``owner``'s customers, this month."""
    now, today = timezone.now(), timezone.localdate()
    for i in range(n):
        customer = CustomerFactory(owner=owner, status="active")
        open_deal = OpportunityFactory(
            customer=customer, stage=OPEN_STAGES[i % 4], expected_close_date=today
        )
        won = OpportunityFactory(customer=customer, stage="won", expected_close_date=today)
        lost = OpportunityFactory(customer=customer, stage="lost")
        Opportunity.objects.filter(pk__in=[won.pk, lost.pk]).update(
            closed_at=now, created_at=now - timedelta(days=i + 1)
        )
        StateLog.objects.create(
            content_object=won, source_state="negotiation", state="won", transition="win"
        )
        StateLog.objects.create(
            content_object=open_deal,
            source_state="prospecting",
            state="qualified",
            transition="move",
        )
        booked = OrderFactory(
            quote=QuoteFactory(opportunity=won, status="accepted"), status="confirmed"
        )
        Order.objects.filter(pk=booked.pk).update(confirmed_at=now, total=Decimal(100 + i))
        OrderFactory(
            quote=QuoteFactory(opportunity=won, status="accepted"), status="pending_approval"
        )
        quote_with_lines(opportunity=open_deal, status="pending_approval")
        CommunicationFactory(customer=customer, follow_up_on=today - timedelta(days=i % 3))


@pytest.mark.parametrize("role", ["salesperson", "manager"])
def test_page_query_count_is_the_same_with_few_and_many_rows(
    role, salesperson, teammate, client_for, manager, django_assert_num_queries
):
    client = client_for(salesperson if role == "salesperson" else manager)
    add_activity(salesperson, 1)
    add_activity(teammate, 1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(PAGE, FRESH).status_code == 302

    add_activity(salesperson, 12)
    add_activity(teammate, 12)
    SalespersonFactory.create_batch(3)
    with django_assert_num_queries(len(few)):
        client.get(PAGE, FRESH)
    response = client.get(PAGE)
    assert response.context["tables"]["pipeline"].totals["count"] == (
        13 if role == "salesperson" else 26
    )


@pytest.mark.parametrize("period", ["quarter", "year"])
def test_manager_page_query_count_does_not_depend_on_the_period(
    period, manager_client, salesperson, django_assert_num_queries
):
    add_activity(salesperson, 2)
    with CaptureQueriesContext(connection) as month:
        manager_client.get(PAGE, FRESH)
    with django_assert_num_queries(len(month)):
        manager_client.get(PAGE, {"period": period, **FRESH})
