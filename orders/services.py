"""Every change to orders. Views, the Approvals page, admin actions and the API call these.

An order is made from an approved, sent or accepted quote (which becomes accepted), at most
once per quote, under the quote's row lock and the database's one-to-one constraint. Each
state change runs in a transaction with the order's row locked.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed

from crm.numbering import next_number
from opportunities.services import mark_won
from orders.models import Order, OrderLine
from quotes.models import Quote
from quotes.services import accept_locked_quote

CREATABLE_STATUSES = (Order.Status.DRAFT, Order.Status.PENDING_APPROVAL, Order.Status.CONFIRMED)


def _lock(order_id, by) -> Order:
    return Order.objects.visible_to(by).select_for_update(of=("self",)).get(pk=order_id)


def _refuse(order: Order, action: str):
    raise ValidationError(
        _("An order that is %(status)s cannot be %(action)s.")
        % {"status": order.get_status_display().lower(), "action": action}
    )


def _won(order: Order, by) -> None:
    mark_won(
        opportunity_id=order.quote.opportunity_id,
        by=by,
        note=_("Order %(number)s confirmed.") % {"number": order.number},
    )


def create_order(*, by, quote_id, status=Order.Status.DRAFT, notes="", customer_id=None) -> Order:
    """Make the order of a quote ``by`` may see, copying its lines and total.

    Guarantees: the quote is approved, sent or accepted and not past its valid-until date,
    and it becomes accepted; it has no order yet (a second one is refused, also when two
    people try at once); ``customer_id``, when given, is the quote's customer. ``status`` is
    ``draft`` (default), ``pending_approval`` (submitted at once) or ``confirmed``, which only
    someone who may approve orders can ask for: that is recorded as their approval (the
    quote's own approval already had four eyes) and marks the opportunity won.
    """
    if status not in CREATABLE_STATUSES:
        raise ValidationError(
            {"status": _("A new order is a draft, pending approval or confirmed.")}
        )
    if status == Order.Status.CONFIRMED and not by.has_perm("orders.approve_order"):
        raise PermissionDenied(_("Only a sales manager can create a confirmed order."))
    try:
        with transaction.atomic():
            quote = (
                Quote.objects.visible_to(by)
                .select_for_update(of=("self",))
                .filter(pk=quote_id)
                .first()
            )
            if quote is None:
                raise ValidationError({"quote": _("Choose one of your customers' quotes.")})
            if customer_id is not None and str(customer_id) != str(quote.customer_id):
                raise ValidationError(
                    {"customer": _("The order's customer is the quote's customer.")}
                )
            existing = Order.objects.filter(quote=quote).first()
            if existing is not None:
                raise ValidationError(
                    {
                        "quote": _("This quote already has order %(number)s.")
                        % {"number": existing.number}
                    }
                )
            if quote.status not in Quote.ORDERABLE:
                raise ValidationError(
                    {"quote": _("Only an approved, sent or accepted quote can become an order.")}
                )
            accept_locked_quote(quote, by=by)
            order = Order.objects.create(
                number=next_number("SO"),
                customer_id=quote.customer_id,
                quote=quote,
                total=quote.total,
                notes=notes or "",
                created_by=by,
            )
            OrderLine.objects.bulk_create(
                OrderLine(
                    order=order,
                    position=line.position,
                    description=line.description,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    discount_percent=line.discount_percent,
                    line_total=line.line_total,
                )
                for line in quote.lines.all()
            )
            if status == Order.Status.PENDING_APPROVAL:
                order.submit(by=by)
                order.save()
            elif status == Order.Status.CONFIRMED:
                order.confirm(
                    by=by,
                    description=_("Confirmed when created from approved quote %(number)s.")
                    % {"number": quote.number},
                )
                order.save()
                _won(order, by)
    except IntegrityError:
        # The one-to-one constraint caught a concurrent second order for the same quote.
        raise ValidationError({"quote": _("This quote already has an order.")}) from None
    return order


#: An order's notes can change while it is a draft or waiting for approval.
EDITABLE_STATUSES = (Order.Status.DRAFT, Order.Status.PENDING_APPROVAL)


def update_order(*, order_id, by, notes: str) -> Order:
    """Change the notes of an order that is still a draft or waiting for approval. Its lines,
    total and customer come from the quote and never change."""
    with transaction.atomic():
        order = _lock(order_id, by)
        if order.status not in EDITABLE_STATUSES:
            _refuse(order, _("changed"))
        order.notes = (notes or "").strip()
        order.clean_fields(exclude=[f.name for f in Order._meta.fields if f.name != "notes"])
        order.save(update_fields=["notes", "updated_at"])
    return order


def submit_order(*, order_id, by) -> Order:
    """Ask a manager to approve a draft order."""
    with transaction.atomic():
        order = _lock(order_id, by)
        if not can_proceed(order.submit):
            _refuse(order, _("submitted"))
        order.submit(by=by)
        order.save()
    return order


def _check_approver(order: Order, by) -> None:
    # The permission itself, not has_transition_perm: that one is also False when the order
    # has already left pending_approval, which would tell a manager they are not one.
    if not by.has_perm("orders.approve_order"):
        raise PermissionDenied(_("Only a sales manager can approve or reject orders."))


def approve_order(*, order_id, by, note: str = "") -> Order:
    """Confirm an order waiting for approval and mark its opportunity won. Needs
    ``orders.approve_order``; four eyes: nobody approves an order they created or submitted."""
    with transaction.atomic():
        order = _lock(order_id, by)
        _check_approver(order, by)
        if order.status != Order.Status.PENDING_APPROVAL:
            _refuse(order, _("approved"))
        if by.pk in (order.created_by_id, order.submitted_by_id):
            raise PermissionDenied(_("You cannot approve an order you created or submitted."))
        order.confirm(by=by, description=(note or "").strip() or None)
        order.save()
        _won(order, by)
    return order


def reject_order(*, order_id, by, reason: str) -> Order:
    """Reject an order waiting for approval, with the reason the salesperson will read."""
    reason = (reason or "").strip()
    with transaction.atomic():
        order = _lock(order_id, by)
        _check_approver(order, by)
        if not can_proceed(order.reject):
            _refuse(order, _("rejected"))
        if not reason:
            raise ValidationError({"reason": _("Say why the order is rejected.")})
        order.reject(by=by, description=reason)
        order.save()
    return order


def _simple_transition(name: str, action_label):
    """A service for a fulfilment step that needs only a visible order in the right state."""

    def run(*, order_id, by, note: str = "") -> Order:
        with transaction.atomic():
            order = _lock(order_id, by)
            step = getattr(order, name)
            if not can_proceed(step):
                _refuse(order, str(action_label))
            step(by=by, description=(note or "").strip() or None)
            order.save()
        return order

    run.__name__ = f"{name}_order"
    return run


fulfil_order = _simple_transition("fulfil", gettext_lazy("marked fulfilled"))
complete_order = _simple_transition("complete", gettext_lazy("completed"))
cancel_order = _simple_transition("cancel", gettext_lazy("cancelled"))


#: Every action a person can take on an order's page, in the order its buttons appear.
ACTIONS = ("submit", "approve", "reject", "fulfil", "complete", "cancel")


def may_decide(record, user) -> bool:
    """Four eyes: nobody decides a quote or order they created or submitted."""
    return user.pk not in (record.created_by_id, record.submitted_by_id)


def available_actions(order: Order, user) -> list[str]:
    """The actions to offer ``user`` on ``order`` now (for buttons only: the service of each
    action decides again, under the lock). Approving and rejecting are for holders of
    ``orders.approve_order`` who neither created nor submitted the order."""
    steps = {"approve": order.confirm, "reject": order.reject}
    actions = []
    for name in ACTIONS:
        if not can_proceed(steps.get(name) or getattr(order, name)):
            continue
        if name in steps and (
            order.status != Order.Status.PENDING_APPROVAL
            or not user.has_perm("orders.approve_order")
            or not may_decide(order, user)
        ):
            continue
        actions.append(name)
    return actions
