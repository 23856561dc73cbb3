from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_fsm_log.models import StateLog

from opportunities.services import change_stage
from orders import services
from orders.models import Order
from quotes.models import Quote
from tests.factories import CustomerFactory, quote_with_lines
from tests.orders.conftest import approved_quote

pytestmark = pytest.mark.django_db


def log_of(record):
    return list(
        StateLog.objects.for_(record)
        .order_by("timestamp", "id")
        .values_list("source_state", "state", "by__username")
    )


@pytest.mark.parametrize("status", ["approved", "sent", "accepted"])
def test_order_is_made_from_an_approved_sent_or_accepted_quote(salesperson, customer, status):
    quote = quote_with_lines(opportunity__customer=customer, status=status)
    order = services.create_order(by=salesperson, quote_id=quote.pk)
    quote.refresh_from_db()
    assert (order.status, order.quote, order.customer, quote.status) == (
        "draft",
        quote,
        customer,
        "accepted",
    )
    assert order.number.startswith(f"SO-{timezone.localdate().year}-")


@pytest.mark.parametrize(
    "status", ["draft", "pending_approval", "rejected", "declined", "expired", "cancelled"]
)
def test_order_from_a_quote_that_is_not_approved_is_refused(salesperson, customer, status):
    quote = quote_with_lines(opportunity__customer=customer, status=status)
    with pytest.raises(ValidationError) as refusal:
        services.create_order(by=salesperson, quote_id=quote.pk)
    assert "quote" in refusal.value.message_dict
    quote.refresh_from_db()
    assert quote.status == status
    assert not Order.objects.exists()


def test_quote_becomes_accepted_and_its_history_says_so(salesperson, quote):
    services.create_order(by=salesperson, quote_id=quote.pk)
    quote.refresh_from_db()
    assert quote.status == "accepted" and quote.closed_at is not None
    assert log_of(quote)[-1] == ("approved", "accepted", salesperson.username)


def test_second_order_for_the_same_quote_is_refused(salesperson, manager, quote):
    first = services.create_order(by=salesperson, quote_id=quote.pk)
    with pytest.raises(ValidationError, match=first.number):
        services.create_order(by=manager, quote_id=quote.pk)
    assert Order.objects.count() == 1


def test_quote_past_its_valid_until_date_cannot_become_an_order(salesperson, quote):
    # expire_quotes has not run yet: the quote is still "approved", but its date has passed.
    Quote.objects.filter(pk=quote.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
    with pytest.raises(ValidationError, match="expired"):
        services.create_order(by=salesperson, quote_id=quote.pk)
    quote.refresh_from_db()
    assert quote.status == "approved"
    assert not Order.objects.exists()


def test_lines_and_total_are_copied_from_the_quote(salesperson, customer, other_manager):
    quote = approved_quote(
        customer, other_manager, lines=((3, "199.99", "0"), (2, "1000.00", "12.5"))
    )
    order = services.create_order(by=salesperson, quote_id=quote.pk, notes="Deliver to dock 4")
    fields = ("position", "description", "quantity", "unit_price", "discount_percent", "line_total")
    assert list(order.lines.values_list(*fields)) == list(quote.lines.values_list(*fields))
    assert order.total == quote.total == Decimal("2349.97")
    assert order.notes == "Deliver to dock 4"


def test_customer_id_must_be_the_quotes_customer(salesperson, quote):
    other = CustomerFactory(owner=salesperson)
    with pytest.raises(ValidationError) as refusal:
        services.create_order(by=salesperson, quote_id=quote.pk, customer_id=other.pk)
    assert "customer" in refusal.value.message_dict
    assert not Order.objects.exists()
    order = services.create_order(by=salesperson, quote_id=quote.pk, customer_id=quote.customer_id)
    assert order.customer_id == quote.customer_id


def test_salesperson_cannot_see_a_foreign_quote(teammate, quote):
    with pytest.raises(ValidationError):
        services.create_order(by=teammate, quote_id=quote.pk)
    quote.refresh_from_db()
    assert quote.status == "approved" and not Order.objects.exists()


def test_salesperson_cannot_create_a_confirmed_order(salesperson, quote):
    with pytest.raises(PermissionDenied):
        services.create_order(by=salesperson, quote_id=quote.pk, status="confirmed")
    quote.refresh_from_db()
    assert quote.status == "approved"
    assert not Order.objects.exists()


def test_manager_creating_a_confirmed_order_is_recorded_as_their_approval(manager, quote):
    order = services.create_order(by=manager, quote_id=quote.pk, status="confirmed")
    assert order.status == "confirmed"
    assert (order.decided_by, order.created_by) == (manager, manager)
    assert order.confirmed_at == order.decided_at is not None
    assert log_of(order) == [("draft", "confirmed", manager.username)]
    assert quote.number in StateLog.objects.for_(order).get().description
    quote.opportunity.refresh_from_db()
    assert quote.opportunity.stage == "won"


def test_order_may_be_submitted_at_creation(salesperson, quote):
    order = services.create_order(by=salesperson, quote_id=quote.pk, status="pending_approval")
    assert (order.status, order.submitted_by) == ("pending_approval", salesperson)
    assert log_of(order) == [("draft", "pending_approval", salesperson.username)]


def test_other_statuses_at_creation_are_refused(manager, quote):
    with pytest.raises(ValidationError):
        services.create_order(by=manager, quote_id=quote.pk, status="completed")
    assert not Order.objects.exists()


def test_salesperson_cannot_approve_or_reject(salesperson, pending_order):
    with pytest.raises(PermissionDenied):
        services.approve_order(order_id=pending_order.pk, by=salesperson)
    with pytest.raises(PermissionDenied):
        services.reject_order(order_id=pending_order.pk, by=salesperson, reason="No")
    pending_order.refresh_from_db()
    assert pending_order.status == "pending_approval"


def test_manager_cannot_approve_an_order_they_created(manager, other_manager, quote):
    order = services.create_order(by=manager, quote_id=quote.pk, status="pending_approval")
    with pytest.raises(PermissionDenied):
        services.approve_order(order_id=order.pk, by=manager)
    order.refresh_from_db()
    assert order.status == "pending_approval"
    assert services.approve_order(order_id=order.pk, by=other_manager).status == "confirmed"


def test_manager_cannot_approve_an_order_they_submitted(manager, other_manager, draft_order):
    services.submit_order(order_id=draft_order.pk, by=manager)
    with pytest.raises(PermissionDenied):
        services.approve_order(order_id=draft_order.pk, by=manager)
    assert services.approve_order(order_id=draft_order.pk, by=other_manager).decided_by == (
        other_manager
    )


def test_approving_confirms_the_order_and_wins_the_deal(manager, pending_order):
    order = services.approve_order(order_id=pending_order.pk, by=manager, note="Good margin")
    assert (order.status, order.decided_by, order.decision_reason) == (
        "confirmed",
        manager,
        "Good margin",
    )
    opportunity = order.quote.opportunity
    opportunity.refresh_from_db()
    assert opportunity.stage == "won"
    assert log_of(opportunity)[-1] == ("proposal", "won", manager.username)


def test_confirming_the_order_of_a_lost_deal_reopens_then_wins_it(
    salesperson, manager, pending_order
):
    opportunity = pending_order.quote.opportunity
    change_stage(opportunity_id=opportunity.pk, by=salesperson, to="lost", note="Went quiet")
    services.approve_order(order_id=pending_order.pk, by=manager)
    opportunity.refresh_from_db()
    assert opportunity.stage == "won"
    assert [(source, target) for source, target, _by in log_of(opportunity)][-2:] == [
        ("lost", "negotiation"),
        ("negotiation", "won"),
    ]


def test_an_approved_order_cannot_be_approved_again(manager, other_manager, confirmed_order):
    # A clear refusal, not "only a sales manager can approve" (the second of two managers).
    with pytest.raises(ValidationError, match="This order has already been approved"):
        services.approve_order(order_id=confirmed_order.pk, by=other_manager)
    with pytest.raises(ValidationError, match="it can no longer be rejected"):
        services.reject_order(order_id=confirmed_order.pk, by=other_manager, reason="Late")


def test_rejecting_needs_a_reason_and_records_it(manager, pending_order):
    with pytest.raises(ValidationError) as refusal:
        services.reject_order(order_id=pending_order.pk, by=manager, reason="   ")
    assert "reason" in refusal.value.message_dict
    order = services.reject_order(order_id=pending_order.pk, by=manager, reason="Price too low")
    assert (order.status, order.decided_by, order.decision_reason) == (
        "rejected",
        manager,
        "Price too low",
    )
    entry = StateLog.objects.for_(order).order_by("-timestamp", "-id").first()
    assert (entry.state, entry.description) == ("rejected", "Price too low")


def test_a_draft_cannot_be_approved_before_it_is_submitted(manager, draft_order):
    with pytest.raises(ValidationError):
        services.approve_order(order_id=draft_order.pk, by=manager)


def test_fulfilment_goes_confirmed_fulfilled_completed(salesperson, confirmed_order):
    order = services.fulfil_order(order_id=confirmed_order.pk, by=salesperson)
    assert (order.status, order.completed_at) == ("fulfilled", None)
    assert order.fulfilled_at is not None
    order = services.complete_order(order_id=order.pk, by=salesperson, note="Signed off")
    assert order.status == "completed" and order.completed_at >= order.fulfilled_at
    assert [(s, t) for s, t, _by in log_of(order)][-2:] == [
        ("confirmed", "fulfilled"),
        ("fulfilled", "completed"),
    ]


@pytest.mark.parametrize(
    ("fixture", "step"),
    [
        ("draft_order", "fulfil_order"),
        ("pending_order", "fulfil_order"),
        ("confirmed_order", "complete_order"),
        ("draft_order", "submit_order"),
    ],
)
def test_steps_out_of_order_are_refused(request, salesperson, fixture, step):
    order = request.getfixturevalue(fixture)
    if step == "submit_order":  # submitted once already, it cannot be submitted again
        services.submit_order(order_id=order.pk, by=salesperson)
    status = Order.objects.get(pk=order.pk).status
    with pytest.raises(ValidationError):
        getattr(services, step)(order_id=order.pk, by=salesperson)
    assert Order.objects.get(pk=order.pk).status == status


@pytest.mark.parametrize("fixture", ["draft_order", "pending_order", "confirmed_order"])
def test_open_orders_can_be_cancelled(request, salesperson, fixture):
    order = request.getfixturevalue(fixture)
    order = services.cancel_order(order_id=order.pk, by=salesperson, note="Customer withdrew")
    assert order.status == "cancelled" and order.cancelled_at is not None


def test_finished_orders_cannot_be_cancelled(salesperson, confirmed_order):
    services.fulfil_order(order_id=confirmed_order.pk, by=salesperson)
    with pytest.raises(ValidationError, match="“Fulfilled”, so it can no longer be cancelled"):
        services.cancel_order(order_id=confirmed_order.pk, by=salesperson)
    services.complete_order(order_id=confirmed_order.pk, by=salesperson)
    with pytest.raises(ValidationError):
        services.cancel_order(order_id=confirmed_order.pk, by=salesperson)


def test_notes_change_only_while_draft_or_pending(salesperson, manager, draft_order):
    order = services.update_order(order_id=draft_order.pk, by=salesperson, notes=" Rush ")
    assert order.notes == "Rush"
    services.submit_order(order_id=order.pk, by=salesperson)
    assert services.update_order(order_id=order.pk, by=salesperson, notes="Rush!").notes == "Rush!"
    services.approve_order(order_id=order.pk, by=manager)
    with pytest.raises(ValidationError, match="“Confirmed”, so its notes can no longer change"):
        services.update_order(order_id=order.pk, by=salesperson, notes="Changed later")
    order.refresh_from_db()
    assert order.notes == "Rush!"


def test_available_actions_follow_state_role_and_four_eyes(
    salesperson, manager, other_manager, quote
):
    order = services.create_order(by=salesperson, quote_id=quote.pk)
    assert services.available_actions(order, salesperson) == ["submit", "cancel"]
    order = services.submit_order(order_id=order.pk, by=manager)
    assert services.available_actions(order, salesperson) == ["cancel"]
    assert services.available_actions(order, manager) == ["cancel"]  # they submitted it
    assert services.available_actions(order, other_manager) == ["approve", "reject", "cancel"]
    order = services.approve_order(order_id=order.pk, by=other_manager)
    assert services.available_actions(order, salesperson) == ["fulfil", "cancel"]
    order = services.fulfil_order(order_id=order.pk, by=salesperson)
    assert services.available_actions(order, salesperson) == ["complete"]
    order = services.complete_order(order_id=order.pk, by=salesperson)
    assert services.available_actions(order, manager) == []
