"""The e-mails a quote's changes send (notifications.services.notify): managers when it waits
for their approval, its salesperson when it is decided and when the customer answers online.
Called inside the change's transaction; nothing is sent unless it commits."""

from django.utils.translation import gettext as _

from crm.money import format_money
from notifications.services import notify, signature, site_url, users_with_permission
from quotes.models import Quote


def waiting_for_approval(quote: Quote) -> None:
    """Every manager who may decide the quote (not its creator or submitter: four eyes)."""
    managers = users_with_permission("quotes.approve_quote").exclude(
        pk__in=[pk for pk in (quote.created_by_id, quote.submitted_by_id) if pk]
    )
    submitter = quote.submitted_by

    def write(user):
        subject = _("Quote %(number)s is waiting for your approval") % {"number": quote.number}
        body = _(
            "%(who)s submitted quote %(number)s for %(customer)s (total %(total)s) for approval.\n\n"
            "Approve or reject it here:\n%(url)s\n\n%(signature)s"
        ) % {
            "who": submitter.get_full_name() or submitter.username if submitter else "—",
            "number": quote.number,
            "customer": quote.customer.name,
            "total": format_money(quote.total),
            "url": site_url(quote.get_absolute_url()),
            "signature": signature(),
        }
        return subject, body

    notify(users=managers, kind="quote.waiting_for_approval", write=write)


def decided(quote: Quote) -> None:
    """The salesperson who submitted the quote: approved or rejected, and why."""
    approved = quote.status == Quote.Status.APPROVED

    def write(user):
        values = {
            "number": quote.number,
            "customer": quote.customer.name,
            "who": quote.decided_by.get_full_name() or quote.decided_by.username
            if quote.decided_by
            else "—",
            "reason": quote.decision_reason or "—",
            "url": site_url(quote.get_absolute_url()),
            "signature": signature(),
        }
        if approved:
            subject = _("Quote %(number)s was approved") % values
            body = _(
                "%(who)s approved quote %(number)s for %(customer)s. You can send it to the "
                "customer now.\n\nNote: %(reason)s\n\n%(url)s\n\n%(signature)s"
            )
        else:
            subject = _("Quote %(number)s was rejected") % values
            body = _(
                "%(who)s rejected quote %(number)s for %(customer)s.\n\nWhy: %(reason)s\n\n"
                "%(url)s\n\n%(signature)s"
            )
        return subject, body % values

    notify(
        users=[quote.submitted_by or quote.created_by],
        kind="quote.approved" if approved else "quote.rejected",
        write=write,
    )


def customer_answered(quote: Quote) -> None:
    """The customer's owner (the quote's salesperson): accepted or declined online."""
    accepted = quote.status == Quote.Status.ACCEPTED

    def write(user):
        values = {
            "number": quote.number,
            "customer": quote.customer.name,
            "name": quote.customer_name,
            "reason": quote.customer_reason,
            "url": site_url(quote.get_absolute_url()),
            "signature": signature(),
        }
        if accepted:
            subject = _("%(customer)s accepted quote %(number)s") % values
            body = _(
                "%(name)s accepted quote %(number)s for %(customer)s online.\n\n"
                "%(url)s\n\n%(signature)s"
            )
        else:
            subject = _("%(customer)s declined quote %(number)s") % values
            body = _(
                "%(customer)s declined quote %(number)s online.\n\nWhy: %(reason)s\n\n"
                "%(url)s\n\n%(signature)s"
            )
        return subject, body % values

    notify(
        users=[quote.customer.owner],
        kind="quote.customer_accepted" if accepted else "quote.customer_declined",
        write=write,
    )
