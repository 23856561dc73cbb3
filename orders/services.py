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
from crm.workflow import Workflow
from opportunities.services import mark_won
from orders import notifications
from orders.models import Order, OrderLine
from quotes.models import Quote
from quotes.services import accept_locked_quote
from webhooks import outbox
from webhooks.events import EventType

Status = Order.Status
CREATABLE_STATUSES = (Status.DRAFT, Status.PENDING_APPROVAL, Status.CONFIRMED)
#: An order's notes can change while it is a draft or waiting for approval.
EDITABLE_STATUSES = (Status.DRAFT, Status.PENDING_APPROVAL)

# Whole sentences, so that each language can say them its own way; the state appears only
# as its label, in quotes.
NOT_SUBMITTED = gettext_lazy("This order is still a draft: it has not been submitted for approval.")
WORKFLOW = Workflow(
    Order,
    actions={
        "change": gettext_lazy("This order is “%(status)s”, so its notes can no longer change."),
        "submit": gettext_lazy(
            "This order is “%(status)s”, so it cannot be submitted: only a draft can."
        ),
        "approve": gettext_lazy(
            "This order is “%(status)s”, so it cannot be approved: "
            "only an order pending approval can."
        ),
        "reject": gettext_lazy(
            "This order is “%(status)s”, so it cannot be rejected: "
            "only an order pending approval can."
        ),
        "fulfil": gettext_lazy(
            "This order is “%(status)s”, so it cannot be marked fulfilled: "
            "only a confirmed order can."
        ),
        "complete": gettext_lazy(
            "This order is “%(status)s”, so it cannot be completed: only a fulfilled order can."
        ),
        "cancel": gettext_lazy("This order is “%(status)s”, so it can no longer be cancelled."),
    },
    closed={
        Status.COMPLETED: gettext_lazy("This order is completed: it is closed."),
        Status.CANCELLED: gettext_lazy("This order has been cancelled: it is closed."),
    },
    cases={
        (Status.PENDING_APPROVAL, "submit"): gettext_lazy(
            "This order is already waiting for approval."
        ),
        (Status.DRAFT, "approve"): NOT_SUBMITTED,
        (Status.DRAFT, "reject"): NOT_SUBMITTED,
        (Status.CONFIRMED, "approve"): gettext_lazy("This order has already been approved."),
        (Status.CONFIRMED, "reject"): gettext_lazy(
            "This order has already been approved; it can no longer be rejected."
        ),
        (Status.REJECTED, "reject"): gettext_lazy("This order has already been rejected."),
        (Status.REJECTED, "approve"): gettext_lazy(
            "This order has already been rejected; it can no longer be approved."
        ),
        (Status.FULFILLED, "fulfil"): gettext_lazy("This order has already been marked fulfilled."),
        (Status.CANCELLED, "cancel"): gettext_lazy("This order is already cancelled."),
    },
    # Approving an order is confirming it.
    steps={"approve": "confirm"},
    permissions={"approve": "orders.approve_order", "reject": "orders.approve_order"},
    permission_denied=gettext_lazy("Only a sales manager can approve or reject orders."),
    on_step=outbox.recorder(
        {
            "submit": EventType.ORDER_SUBMITTED,
            "approve": EventType.ORDER_CONFIRMED,
            "reject": EventType.ORDER_REJECTED,
            "fulfil": EventType.ORDER_FULFILLED,
            "complete": EventType.ORDER_COMPLETED,
            "cancel": EventType.ORDER_CANCELLED,
        }
    ),
)


def _won(order: Order, by) -> None:
    mark_won(
        opportunity_id=order.quote.opportunity_id,
        by=by,
        note=_("Order %(number)s confirmed.") % {"number": order.number},
    )


def create_order(*, by, quote_id, status=Status.DRAFT, notes="", customer_id=None) -> Order:
    """Make the order of a quote ``by`` may see, copying its lines and total.

    Guarantees: the quote is approved, sent or accepted and not past its valid-until date,
    and it becomes accepted (when the customer has not accepted it yet, the quote's history
    records the acceptance as ``by``'s, noted as made with the order); a superseded revision
    never becomes an order, so an order always comes from the accepted revision; it has no order yet (a second one is refused, also when two
    people try at once); ``customer_id``, when given, is the quote's customer. ``status`` is
    ``draft`` (default), ``pending_approval`` (submitted at once) or ``confirmed``, which only
    someone who may approve orders can ask for: that is recorded as their approval (the
    quote's own approval already had four eyes) and marks the opportunity won.
    """
    if status not in CREATABLE_STATUSES:
        raise ValidationError(
            {"status": _("A new order is a draft, pending approval or confirmed.")}
        )
    if status == Status.CONFIRMED and not by.has_perm("orders.approve_order"):
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
            if quote.status == Quote.Status.SUPERSEDED:
                raise ValidationError(
                    {
                        "quote": _(
                            "A newer revision replaced this quote: only the revision the "
                            "customer accepts can become an order."
                        )
                    }
                )
            if quote.status not in Quote.ORDERABLE:
                raise ValidationError(
                    {"quote": _("Only an approved, sent or accepted quote can become an order.")}
                )
            # Ordering a quote the customer has not accepted online is the salesperson
            # recording the customer's acceptance: the quote's history says who, and when.
            accept_locked_quote(
                quote,
                by=by,
                note=""
                if quote.status == Quote.Status.ACCEPTED
                else _("Accepted for the customer when the order was created."),
            )
            order = Order.objects.create(
                number=next_number("SO"),
                customer_id=quote.customer_id,
                quote=quote,
                total=quote.total,
                notes=notes or "",
                created_by=by,
            )
            OrderLine.objects.bulk_create(
                OrderLine(order=order, **line.priced_values()) for line in quote.lines.all()
            )
            outbox.record(EventType.ORDER_CREATED, order)
            if status == Status.PENDING_APPROVAL:
                WORKFLOW.run(order, "submit", by=by)
                notifications.waiting_for_approval(order)
            elif status == Status.CONFIRMED:
                WORKFLOW.run(
                    order,
                    "approve",
                    by=by,
                    note=_("Confirmed when created from approved quote %(number)s.")
                    % {"number": quote.number},
                )
                _won(order, by)
    except IntegrityError:
        # The one-to-one constraint caught a concurrent second order for the same quote.
        raise ValidationError({"quote": _("This quote already has an order.")}) from None
    return order


def update_order(*, order_id, by, notes: str) -> Order:
    """Change the notes of an order that is still a draft or waiting for approval. Its lines,
    total and customer come from the quote and never change."""
    with WORKFLOW.locked(order_id, by=by) as order:
        WORKFLOW.check(order, "change", allowed=order.status in EDITABLE_STATUSES)
        order.notes = (notes or "").strip()
        order.clean_fields(exclude=[f.name for f in Order._meta.fields if f.name != "notes"])
        order.save(update_fields=["notes", "updated_at"])
    return order


def submit_order(*, order_id, by) -> Order:
    """Ask a manager to approve a draft order."""
    with WORKFLOW.locked(order_id, by=by) as order:
        WORKFLOW.run(order, "submit", by=by)
        notifications.waiting_for_approval(order)
    return order


def approve_order(*, order_id, by, note: str = "") -> Order:
    """Confirm an order waiting for approval and mark its opportunity won. Needs
    ``orders.approve_order``; four eyes: nobody approves an order they created or submitted."""
    with WORKFLOW.locked(order_id, by=by) as order:
        # Confirming also starts from a draft (a manager creating a confirmed order); a
        # decision is only for an order that waits for one.
        WORKFLOW.check(order, "approve", by=by, allowed=order.status == Status.PENDING_APPROVAL)
        if not may_decide(order, by):
            raise PermissionDenied(_("You cannot approve an order you created or submitted."))
        WORKFLOW.run(order, "approve", by=by, note=note)
        _won(order, by)
        notifications.decided(order)
    return order


def reject_order(*, order_id, by, reason: str) -> Order:
    """Reject an order waiting for approval, with the reason the salesperson will read."""
    with WORKFLOW.locked(order_id, by=by) as order:
        WORKFLOW.check(order, "reject", by=by)
        if not (reason or "").strip():
            raise ValidationError({"reason": _("Say why the order is rejected.")})
        WORKFLOW.run(order, "reject", by=by, note=reason)
        notifications.decided(order)
    return order


fulfil_order = WORKFLOW.service("fulfil", doc="Mark a confirmed order fulfilled (delivered).")
complete_order = WORKFLOW.service("complete", doc="Mark a fulfilled order completed.")
cancel_order = WORKFLOW.service(
    "cancel", doc="Cancel an order that is not yet fulfilled (draft to confirmed, or rejected)."
)


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
            order.status != Status.PENDING_APPROVAL
            or not user.has_perm("orders.approve_order")
            or not may_decide(order, user)
        ):
            continue
        actions.append(name)
    return actions
