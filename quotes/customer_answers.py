"""The customer's answer on their link (quotes.public_views): accept or decline, recorded
under the row lock like every step, and the salesperson told."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quotes import notifications
from quotes.models import Quote
from quotes.services import WORKFLOW

Status = Quote.Status


def customer_accepts(*, quote_id, public_key, name, ip=None, user_agent="") -> Quote:
    """The customer accepted on their link, typing their name: recorded with the time, IP
    address and browser, on the quote and in its history (no user: the customer), with the
    ``quote.accepted`` event, and the salesperson told (``customer_answered``).

    Refused with a sentence saying why (nothing changes) unless the quote is still sent, within
    its valid-until date and still the revision of ``public_key``. Two answers at once queue
    on the row lock: the second finds the quote decided.
    """
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Type your name to accept the quote.")})
    if len(name) > 200:
        raise ValidationError({"name": _("The name is too long (200 characters at most).")})
    with transaction.atomic():
        quote = _lock_for_customer(quote_id, public_key)
        _record_customer(quote, name=name, ip=ip, user_agent=user_agent)
        WORKFLOW.run(
            quote, "accept", by=None, note=_("Accepted online by %(name)s.") % {"name": name}
        )
        customer_answered(quote)
    return quote


def customer_declines(*, quote_id, public_key, reason, ip=None, user_agent="") -> Quote:
    """The customer declined on their link, saying why: recorded like ``customer_accepts``,
    with the ``quote.declined`` event, and the salesperson told."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tell us why you decline the quote.")})
    if len(reason) > 2000:
        raise ValidationError({"reason": _("The reason is too long (2,000 characters at most).")})
    with transaction.atomic():
        quote = _lock_for_customer(quote_id, public_key)
        _record_customer(quote, reason=reason, ip=ip, user_agent=user_agent)
        WORKFLOW.run(
            quote, "decline", by=None, note=_("Declined online: %(reason)s") % {"reason": reason}
        )
        customer_answered(quote)
    return quote


def customer_answered(quote: Quote) -> None:
    """Tell the quote's salesperson (the customer's owner) that the customer answered.

    Called inside the answer's transaction, after the quote is saved. Today the news is in
    the product: the answer is listed on the owner's dashboard ("Your customers answered") and
    under the quotes list's "New customer answers" filter until the owner opens the quote,
    whose page shows the answer; and the owner gets an e-mail (unless they turned them off),
    written here and sent by the worker once the answer commits (an answer rolled back
    sends nothing).
    """
    Quote.objects.filter(pk=quote.pk).update(customer_answer_seen=False)
    quote.customer_answer_seen = False
    notifications.customer_answered(quote)


def mark_answer_seen(quote: Quote, *, by) -> None:
    """The owner opened the quote: its customer answer no longer counts on their badge."""
    if not quote.customer_answer_seen and by.pk == quote.customer_owner_id:
        Quote.objects.filter(pk=quote.pk, customer_answer_seen=False).update(
            customer_answer_seen=True
        )
        quote.customer_answer_seen = True


def unseen_answers(user):
    """The quotes of ``user``'s customers whose customer answered since they last looked."""
    return Quote.objects.filter(customer_owner=user, customer_answer_seen=False)


def why_closed_to_customer(quote: Quote) -> str | None:
    """Why the customer's page accepts nothing now, in the customer's words; None when the
    customer may still accept or decline."""
    if quote.status == Status.SUPERSEDED:
        return _(
            "This quote has been replaced by a newer version. Please use the link to the newer version you received."
        )
    if quote.status == Status.ACCEPTED:
        return _("This quote has been accepted. Thank you.")
    if quote.status == Status.DECLINED:
        return _("This quote has been declined.")
    if quote.status == Status.CANCELLED:
        return _("This quote has been withdrawn: it can no longer be accepted.")
    if quote.status == Status.EXPIRED or quote.is_past_validity:
        return _("This quote expired on %(date)s: it can no longer be accepted.") % {
            "date": quote.valid_until.isoformat()
        }
    if quote.status != Status.SENT:
        return _("This quote can no longer be accepted.")
    return None


def _lock_for_customer(quote_id, public_key) -> Quote:
    quote = (
        Quote.objects.select_for_update(of=("self",))
        .filter(pk=quote_id, public_key=public_key)
        .first()
    )
    if quote is None:
        raise ValidationError(_("This quote can no longer be accepted."))
    if why := why_closed_to_customer(quote):
        raise ValidationError(why, code="not_allowed")
    return quote


def _record_customer(quote: Quote, *, name="", reason="", ip=None, user_agent="") -> None:
    quote.customer_answered_at = timezone.now()
    quote.customer_name, quote.customer_reason = name, reason
    quote.customer_ip = ip or None
    quote.customer_user_agent = (user_agent or "")[:300]
