"""The e-mails an order's approval sends (notifications.services.notify): managers when it
waits for their approval, its salesperson when it is decided. Called inside the change's
transaction; nothing is sent unless it commits."""

from django.utils.translation import gettext as _

from crm.money import format_money
from notifications.services import notify, signature, site_url, users_with_permission
from orders.models import Order


def waiting_for_approval(order: Order) -> None:
    """Every manager who may decide the order (not its creator or submitter: four eyes)."""
    managers = users_with_permission("orders.approve_order").exclude(
        pk__in=[pk for pk in (order.created_by_id, order.submitted_by_id) if pk]
    )

    def write(user):
        subject = _("Order %(number)s is waiting for your approval") % {"number": order.number}
        body = _(
            "Order %(number)s for %(customer)s (total %(total)s) is waiting for your "
            "approval.\n\nApprove or reject it here:\n%(url)s\n\n%(signature)s"
        ) % {
            "number": order.number,
            "customer": order.customer.name,
            "total": format_money(order.total),
            "url": site_url(order.get_absolute_url()),
            "signature": signature(),
        }
        return subject, body

    notify(users=managers, kind="order.waiting_for_approval", write=write)


def decided(order: Order) -> None:
    """The salesperson who submitted the order: approved (confirmed) or rejected, and why."""
    approved = order.status == Order.Status.CONFIRMED

    def write(user):
        values = {
            "number": order.number,
            "customer": order.customer.name,
            "reason": order.decision_reason or "—",
            "url": site_url(order.get_absolute_url()),
            "signature": signature(),
        }
        if approved:
            subject = _("Order %(number)s was approved") % values
            body = _(
                "Order %(number)s for %(customer)s was approved (confirmed).\n\n"
                "Note: %(reason)s\n\n%(url)s\n\n%(signature)s"
            )
        else:
            subject = _("Order %(number)s was rejected") % values
            body = _(
                "Order %(number)s for %(customer)s was rejected.\n\nWhy: %(reason)s\n\n"
                "%(url)s\n\n%(signature)s"
            )
        return subject, body % values

    notify(
        users=[order.submitted_by or order.created_by],
        kind="order.approved" if approved else "order.rejected",
        write=write,
    )
