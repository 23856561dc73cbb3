import pytest
from django.urls import reverse

from orders import services
from orders.models import Order
from tests.orders.conftest import approved_quote

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:orders_order_changelist")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def other_draft(salesperson, customer, other_manager):
    return services.create_order(
        by=salesperson, quote_id=approved_quote(customer, other_manager).pk
    )


@pytest.fixture
def own_order(manager, customer, other_manager):
    """An order the manager made and submitted: four eyes keep them from approving it."""
    quote = approved_quote(customer, other_manager)
    return services.create_order(by=manager, quote_id=quote.pk, status="pending_approval")


def test_manager_filters_pending_orders_and_searches(manager_client, pending_order, other_draft):
    response = manager_client.get(CHANGELIST, {"approval": "pending"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [pending_order]
    response = manager_client.get(CHANGELIST, {"q": pending_order.number})
    assert list(response.context["cl"].result_list) == [pending_order]
    response = manager_client.get(CHANGELIST, {"q": pending_order.customer.name})
    assert len(response.context["cl"].result_list) == 2
    response = manager_client.get(CHANGELIST, {"q": pending_order.quote.number})
    assert list(response.context["cl"].result_list) == [pending_order]


def test_status_and_lines_are_read_only(manager_client, pending_order):
    change = reverse("admin:orders_order_change", args=[pending_order.pk])
    response = manager_client.get(change)
    assert response.status_code == 200
    assert list(response.context["adminform"].form.fields) == ["notes"]
    assert "Approve" in response.text and "reject_orders" in response.text
    assert "Item 1" in response.text  # the lines, shown read-only
    data = {
        "notes": "Checked stock",
        "status": "confirmed",
        "total": "1.00",
        "lines-TOTAL_FORMS": "0",
        "lines-INITIAL_FORMS": "0",
    }
    response = manager_client.post(change, data)
    assert response.status_code == 302
    pending_order.refresh_from_db()
    assert (pending_order.notes, pending_order.status, str(pending_order.total)) == (
        "Checked stock",
        "pending_approval",
        "2450.00",
    )


def test_confirmed_order_notes_are_read_only_in_admin(manager_client, confirmed_order):
    change = reverse("admin:orders_order_change", args=[confirmed_order.pk])
    response = manager_client.get(change)
    assert "notes" not in response.context["adminform"].form.fields
    assert "reject_orders" not in response.text


def test_orders_are_neither_added_nor_deleted_in_admin(manager_client, draft_order):
    assert manager_client.get(reverse("admin:orders_order_add")).status_code == 403
    delete = reverse("admin:orders_order_delete", args=[draft_order.pk])
    assert manager_client.get(delete).status_code == 403


def test_approve_action_calls_the_service_and_reports_each_refusal(
    manager_client, manager, pending_order, own_order, other_draft
):
    draft_order = other_draft
    response = manager_client.post(
        CHANGELIST,
        {
            "action": "approve_orders",
            "_selected_action": [pending_order.pk, own_order.pk, draft_order.pk],
        },
        follow=True,
    )
    assert Order.objects.get(pk=pending_order.pk).decided_by == manager
    assert Order.objects.get(pk=own_order.pk).status == "pending_approval"
    assert Order.objects.get(pk=draft_order.pk).status == "draft"
    texts = messages_of(response)
    assert "1 order approved." in texts
    assert any(own_order.number in t and "you created or submitted" in t for t in texts)
    assert any(
        draft_order.number in t and "has not been submitted for approval" in t for t in texts
    )
    pending_order.quote.opportunity.refresh_from_db()
    assert pending_order.quote.opportunity.stage == "won"


def test_reject_action_asks_for_a_reason_first(manager_client, pending_order):
    data = {"action": "reject_orders", "_selected_action": [pending_order.pk]}
    page = manager_client.post(CHANGELIST, data)
    assert page.status_code == 200 and b'name="reason"' in page.content
    assert pending_order.number in page.text
    assert Order.objects.get(pk=pending_order.pk).status == "pending_approval"
    page = manager_client.post(CHANGELIST, {**data, "apply": "1", "reason": ""})
    assert page.status_code == 200  # asked again
    assert Order.objects.get(pk=pending_order.pk).status == "pending_approval"
    response = manager_client.post(
        CHANGELIST, {**data, "apply": "1", "reason": "Out of stock"}, follow=True
    )
    order = Order.objects.get(pk=pending_order.pk)
    assert (order.status, order.decision_reason) == ("rejected", "Out of stock")
    assert "1 order rejected." in messages_of(response)


def test_admin_without_the_approve_permission_has_no_actions(client_for, manager, pending_order):
    from django.contrib.auth.models import Permission

    manager.groups.get().permissions.remove(Permission.objects.get(codename="approve_order"))
    response = client_for(manager).get(CHANGELIST)
    assert response.status_code == 200
    assert response.context["action_form"] is None  # no action left to offer
    client_for(manager).post(
        CHANGELIST, {"action": "approve_orders", "_selected_action": [pending_order.pk]}
    )
    assert Order.objects.get(pk=pending_order.pk).status == "pending_approval"


def test_salesperson_has_no_admin(sales_client):
    assert sales_client.get(CHANGELIST).status_code == 302
