"""The managers' Approvals page, its in-place decisions and the navigation count."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orders import services
from orders.approvals import WaitingApprovals
from orders.context_processors import approvals
from quotes import services as quote_services
from quotes.models import Quote
from tests.factories import (
    CustomerFactory,
    OpportunityFactory,
    SalespersonFactory,
    UserFactory,
    quote_with_lines,
)
from tests.orders.conftest import approved_quote

pytestmark = pytest.mark.django_db

PAGE = reverse("approvals")
HTMX = {"HTTP_HX_REQUEST": "true"}


def decision_url(record, decision):
    kind = "quote" if isinstance(record, Quote) else "order"
    return reverse("approval_decision", args=[kind, record.pk, decision])


def pending_quote(customer, *, by=None):
    """A quote of ``customer`` written and submitted by ``by`` (its owner by default)."""
    by = by or customer.owner
    quote = quote_with_lines(opportunity=OpportunityFactory(customer=customer), created_by=by)
    return quote_services.submit_quote(quote_id=quote.pk, by=by)


@pytest.fixture
def waiting(customer, teammate, manager, other_manager, pending_order):
    """What waits: two quotes of salespeople, one quote and one order the manager made."""
    theirs = pending_quote(customer)
    teammates = pending_quote(CustomerFactory(owner=teammate))
    own_quote = pending_quote(CustomerFactory(owner=teammate), by=manager)
    own_order = services.create_order(
        by=manager,
        quote_id=approved_quote(customer, other_manager).pk,
        status="pending_approval",
    )
    return {
        "quote": theirs,
        "teammates_quote": teammates,
        "own_quote": own_quote,
        "order": pending_order,
        "own_order": own_order,
    }


def test_manager_sees_every_waiting_quote_and_order_with_four_eyes_marked(manager_client, waiting):
    response = manager_client.get(PAGE)
    assert response.status_code == 200
    quotes = {item.record.pk: item.may_decide for item in response.context["quotes"]}
    orders = {item.record.pk: item.may_decide for item in response.context["orders"]}
    assert quotes == {
        waiting["quote"].pk: True,
        waiting["teammates_quote"].pk: True,
        waiting["own_quote"].pk: False,
    }
    assert orders == {waiting["order"].pk: True, waiting["own_order"].pk: False}
    text = response.text
    assert text.count("Needs another manager") == 2
    assert decision_url(waiting["quote"], "approve") in text
    assert decision_url(waiting["own_quote"], "approve") not in text
    assert decision_url(waiting["own_order"], "reject") not in text


def test_salesperson_is_refused_the_page_and_the_decisions(sales_client, waiting):
    assert sales_client.get(PAGE).status_code == 403
    response = sales_client.post(decision_url(waiting["quote"], "approve"))
    assert response.status_code == 403
    response = sales_client.post(decision_url(waiting["order"], "approve"), **HTMX)
    assert response.status_code == 403
    assert Quote.objects.get(pk=waiting["quote"].pk).status == "pending_approval"
    waiting["order"].refresh_from_db()
    assert waiting["order"].status == "pending_approval"


def test_a_user_holding_only_the_order_permission_sees_only_orders(client_for, waiting):
    clerk = UserFactory()
    clerk.user_permissions.add(Permission.objects.get(codename="approve_order"))
    response = client_for(clerk).get(PAGE)
    assert response.status_code == 200
    assert response.context["kinds"] == ["order"]
    assert "quotes" not in response.context


def test_decisions_refuse_get_and_unknown_kinds(manager_client, waiting):
    assert manager_client.get(decision_url(waiting["quote"], "approve")).status_code == 405
    bogus = reverse("approval_decision", args=["invoice", waiting["quote"].pk, "approve"])
    assert manager_client.post(bogus).status_code == 404
    bogus = reverse("approval_decision", args=["quote", waiting["quote"].pk, "ignore"])
    assert manager_client.post(bogus).status_code == 404
    assert (
        manager_client.post(
            decision_url(waiting["quote"], "approve").replace(
                f"/{waiting['quote'].pk}/", "/999999/"
            )
        ).status_code
        == 404
    )


def test_approve_without_javascript_redirects_back_with_a_message(manager_client, manager, waiting):
    response = manager_client.post(decision_url(waiting["quote"], "approve"), follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    assert any("approved" in str(m) for m in response.context["messages"])
    quote = Quote.objects.get(pk=waiting["quote"].pk)
    assert (quote.status, quote.decided_by) == ("approved", manager)


def test_approve_with_htmx_replaces_the_row_and_the_count(manager_client, manager, waiting):
    before = WaitingApprovals(manager).count
    assert before == 3  # the two salespeople's quotes and their order, not the manager's own
    response = manager_client.post(decision_url(waiting["order"], "approve"), **HTMX)
    assert response.status_code == 200
    text = response.text
    assert f'id="approval-order-{waiting["order"].pk}"' in text
    assert "Approved by Mei Chen" in text and "Confirmed" in text
    assert 'id="approvals-count" hx-swap-oob="true"' in text
    assert f">{before - 1}</span>" in text
    assert "<html" not in text
    order = waiting["order"]
    order.refresh_from_db()
    assert order.status == "confirmed"
    order.quote.opportunity.refresh_from_db()
    assert order.quote.opportunity.stage == "won"


def test_reject_needs_a_reason_with_htmx(manager_client, waiting):
    url = decision_url(waiting["quote"], "reject")
    response = manager_client.post(url, {"reason": " "}, **HTMX)
    assert response.status_code == 200
    assert "Say why the quote is rejected." in response.text
    assert url in response.text  # the buttons are still there to try again
    assert Quote.objects.get(pk=waiting["quote"].pk).status == "pending_approval"
    response = manager_client.post(url, {"reason": "Margin below 10%"}, **HTMX)
    assert "Rejected by Mei Chen" in response.text and "Margin below 10%" in response.text
    quote = Quote.objects.get(pk=waiting["quote"].pk)
    assert (quote.status, quote.decision_reason) == ("rejected", "Margin below 10%")


def test_reject_without_javascript(manager_client, waiting):
    url = decision_url(waiting["order"], "reject")
    response = manager_client.post(url, {"reason": ""}, follow=True)
    assert any("Say why" in str(m) for m in response.context["messages"])
    response = manager_client.post(url, {"reason": "Customer on credit hold"}, follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    assert any("rejected" in str(m) for m in response.context["messages"])
    waiting["order"].refresh_from_db()
    assert waiting["order"].decision_reason == "Customer on credit hold"


def test_four_eyes_holds_against_a_crafted_post(manager_client, waiting):
    response = manager_client.post(decision_url(waiting["own_quote"], "approve"), **HTMX)
    assert "You cannot approve a quote you created or submitted." in response.text
    assert "Needs another manager" in response.text
    response = manager_client.post(decision_url(waiting["own_order"], "approve"), follow=True)
    assert any(
        "cannot approve an order you created" in str(m) for m in response.context["messages"]
    )
    assert Quote.objects.get(pk=waiting["own_quote"].pk).status == "pending_approval"
    waiting["own_order"].refresh_from_db()
    assert waiting["own_order"].status == "pending_approval"


def test_deciding_what_another_manager_just_decided_says_so(manager_client, other_manager, waiting):
    quote_services.approve_quote(quote_id=waiting["quote"].pk, by=other_manager)
    response = manager_client.post(
        decision_url(waiting["quote"], "reject"), {"reason": "Too late"}, **HTMX
    )
    assert "already been approved; it can no longer be rejected" in response.text
    assert "Approved by Jun Zhao" in response.text


def test_page_query_count_does_not_grow_with_items(
    manager_client, manager, teammate, django_assert_num_queries
):
    client = manager_client
    other = SalespersonFactory()

    def add(n):
        for i in range(n):
            owner = teammate if i % 2 else other
            pending_quote(CustomerFactory(owner=owner), by=manager if i % 5 == 0 else None)
            quote = approved_quote(CustomerFactory(owner=owner), manager)
            services.create_order(by=owner, quote_id=quote.pk, status="pending_approval")

    add(5)
    client.get(PAGE)
    with CaptureQueriesContext(connection) as five:
        response = client.get(PAGE)
    assert (len(response.context["quotes"]), len(response.context["orders"])) == (5, 5)
    add(45)
    with django_assert_num_queries(len(five)):
        response = client.get(PAGE)
    assert (len(response.context["quotes"]), len(response.context["orders"])) == (50, 50)


def test_navigation_shows_approvals_to_approvers_only(sales_client, manager_client, waiting):
    text = manager_client.get(reverse("dashboard")).text
    assert f'href="{PAGE}"' in text
    assert 'id="approvals-count"' in text and 'title="Waiting for your decision">3</span>' in text
    text = sales_client.get(reverse("dashboard")).text
    assert f'href="{PAGE}"' not in text


def test_navigation_count_is_lazy_and_one_query(rf, manager, waiting, django_assert_num_queries):
    request = rf.get("/")
    request.user = manager
    manager._crm_is_manager = True  # the role is known from earlier in the request
    with django_assert_num_queries(0):
        context = approvals(request)
    with django_assert_num_queries(1):
        assert context["approvals_nav"].show
        assert context["approvals_nav"].count == 3


def test_navigation_costs_a_salesperson_nothing(rf, salesperson, django_assert_num_queries):
    request = rf.get("/")
    request.user = salesperson
    salesperson._crm_is_manager = False
    with django_assert_num_queries(0):
        nav = approvals(request)["approvals_nav"]
        assert (nav.show, nav.count) == (False, 0)


def test_navigation_count_follows_the_permissions(rf, waiting, manager):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    assert not approvals(request)["approvals_nav"].show
    superuser = UserFactory(is_superuser=True, is_staff=True)
    assert WaitingApprovals(superuser).count == 5  # nothing is their own
    # A manager whose role lost the quote permission counts orders only.
    manager.groups.get().permissions.remove(Permission.objects.get(codename="approve_quote"))
    assert WaitingApprovals(manager).count == 1
