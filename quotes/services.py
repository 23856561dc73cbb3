"""Every change to quotes. Views, the Approvals page, admin actions and the API call these.

Each state change runs in a transaction with the quote's row locked, so two managers
deciding the same quote at once cannot both succeed: the second finds it already decided.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed, has_transition_perm

from crm.numbering import next_number
from crm.values import to_date
from crm.workflow import Workflow
from opportunities.models import Opportunity
from opportunities.stages import Stage
from quotes import notifications, public_links
from quotes.models import ApprovalRule, Quote
from quotes.pricing import build_lines, set_lines
from quotes.revisions import new_revision
from webhooks import outbox
from webhooks.events import EventType

Status = Quote.Status
# Whole sentences, so that each language can say them its own way; the state appears only
# as its label, in quotes.
NOT_SUBMITTED = gettext_lazy("This quote is still a draft: it has not been submitted for approval.")
WORKFLOW = Workflow(
    Quote,
    actions={
        "change": gettext_lazy(
            "This quote is “%(status)s”, so it can no longer be changed: only a draft can."
        ),
        "submit": gettext_lazy(
            "This quote is “%(status)s”, so it cannot be submitted: only a draft can."
        ),
        "approve": gettext_lazy(
            "This quote is “%(status)s”, so it cannot be approved: "
            "only a quote pending approval can."
        ),
        "reject": gettext_lazy(
            "This quote is “%(status)s”, so it cannot be rejected: "
            "only a quote pending approval can."
        ),
        "revise": gettext_lazy(
            "This quote is “%(status)s”, so it cannot be revised: only a rejected, approved, "
            "sent, declined or expired quote can."
        ),
        "send": gettext_lazy(
            "This quote is “%(status)s”, so it cannot be sent: only an approved quote can."
        ),
        "accept": gettext_lazy(
            "This quote is “%(status)s”, so it cannot be accepted: "
            "only an approved or sent quote can."
        ),
        "decline": gettext_lazy(
            "This quote is “%(status)s”, so it cannot be declined: only a sent quote can."
        ),
        "cancel": gettext_lazy("This quote is “%(status)s”, so it cannot be cancelled."),
        "supersede": gettext_lazy(
            "This quote is “%(status)s”, so a new revision cannot replace it."
        ),
    },
    closed={
        Status.SUPERSEDED: gettext_lazy(
            "A newer revision has replaced this quote: it is closed, and can never be accepted."
        ),
        Status.ACCEPTED: gettext_lazy("The customer has accepted this quote: it is closed."),
        Status.DECLINED: gettext_lazy("The customer has declined this quote: it is closed."),
        Status.EXPIRED: gettext_lazy("This quote has expired: it is closed."),
        Status.CANCELLED: gettext_lazy("This quote has been cancelled: it is closed."),
    },
    cases={
        (Status.PENDING_APPROVAL, "submit"): gettext_lazy(
            "This quote is already waiting for approval."
        ),
        (Status.DRAFT, "approve"): NOT_SUBMITTED,
        (Status.DRAFT, "reject"): NOT_SUBMITTED,
        (Status.APPROVED, "approve"): gettext_lazy("This quote has already been approved."),
        (Status.APPROVED, "reject"): gettext_lazy(
            "This quote has already been approved; it can no longer be rejected."
        ),
        (Status.REJECTED, "reject"): gettext_lazy("This quote has already been rejected."),
        (Status.REJECTED, "approve"): gettext_lazy(
            "This quote has already been rejected; revise it and submit it again first."
        ),
        (Status.DRAFT, "revise"): gettext_lazy("This quote is already a draft."),
        (Status.SENT, "send"): gettext_lazy("This quote has already been sent."),
        (Status.CANCELLED, "cancel"): gettext_lazy("This quote is already cancelled."),
        (Status.SUPERSEDED, "revise"): gettext_lazy(
            "This revision has already been replaced by a newer one: revise the latest."
        ),
    },
    permissions={"approve": "quotes.approve_quote", "reject": "quotes.approve_quote"},
    permission_denied=gettext_lazy("Only a sales manager can approve or reject quotes."),
    on_step=outbox.recorder(
        {
            "submit": EventType.QUOTE_SUBMITTED,
            "approve": EventType.QUOTE_APPROVED,
            "reject": EventType.QUOTE_REJECTED,
            "send": EventType.QUOTE_SENT,
            "accept": EventType.QUOTE_ACCEPTED,
            "decline": EventType.QUOTE_DECLINED,
            "cancel": EventType.QUOTE_CANCELLED,
        }
    ),
)


def _valid_until(value):
    valid_until = to_date(value, field="valid_until")
    if valid_until is None:
        raise ValidationError({"valid_until": _("Say until when the quote is valid.")})
    if valid_until < timezone.localdate():
        raise ValidationError({"valid_until": _("The valid-until date cannot be in the past.")})
    return valid_until


def create_quote(*, by, opportunity_id, valid_until, lines=(), terms="", notes="") -> Quote:
    """A draft quote with a unique number for an opportunity ``by`` may see.

    Guarantees: the opportunity is not lost; valid-until is today or later; every line is
    valid (quantity above zero, price and discount within range); the totals equal the lines.
    Nothing is saved when any of it fails.
    """
    opportunity = Opportunity.objects.visible_to(by).filter(pk=opportunity_id).first()
    if opportunity is None:
        raise ValidationError({"opportunity": _("Choose one of your customers' opportunities.")})
    if opportunity.stage == Stage.LOST:
        raise ValidationError({"opportunity": _("Reopen a lost opportunity before quoting it.")})
    valid_until = _valid_until(valid_until)
    prices_include_tax = settings.CRM_PRICES_INCLUDE_TAX
    built = build_lines(lines, prices_include_tax=prices_include_tax)
    with transaction.atomic():
        quote = Quote(
            prices_include_tax=prices_include_tax,
            number=next_number("Q"),
            opportunity=opportunity,
            customer_id=opportunity.customer_id,
            created_by=by,
            valid_until=valid_until,
            terms=terms or "",
            notes=notes or "",
        )
        quote.full_clean(exclude=["opportunity", "customer", "created_by", "status"])
        quote.save()
        set_lines(quote, built)
    return quote


def update_quote(*, quote_id, by, lines=None, **values) -> Quote:
    """Change a draft quote: valid-until, terms, notes and (when given) all its lines.

    Once submitted a quote's terms are frozen: anything but a draft is refused.
    """
    unknown = set(values) - {"valid_until", "terms", "notes"}
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    with WORKFLOW.locked(quote_id, by=by) as quote:
        WORKFLOW.check(quote, "change", allowed=quote.is_editable)
        if "valid_until" in values:
            quote.valid_until = _valid_until(values["valid_until"])
        for name in ("terms", "notes"):
            if name in values:
                setattr(quote, name, values[name] or "")
        quote.full_clean(exclude=["opportunity", "customer", "created_by", "status"])
        quote.save()
        if lines is not None:
            set_lines(quote, build_lines(lines, prices_include_tax=quote.prices_include_tax))
    return quote


def matching_rule(quote: Quote) -> ApprovalRule | None:
    """The active rule that decides how ``quote`` is approved, if any: the first "needs a
    manager" rule that applies to it, else the first "approve" rule that does."""
    rules = list(ApprovalRule.objects.filter(is_active=True))
    required = [rule for rule in rules if rule.action == ApprovalRule.Action.REQUIRE_MANAGER]
    approving = [rule for rule in rules if rule.action == ApprovalRule.Action.APPROVE]
    return next((rule for rule in (*required, *approving) if rule.allows(quote)), None)


def submit_quote(*, quote_id, by) -> Quote:
    """Send a draft for approval. The approval rules decide (`matching_rule`): under an
    "approve" rule it is approved at once, under a "needs a manager" rule (or none) it waits
    for a manager; either way the quote and its history name the rule that decided."""
    with WORKFLOW.locked(quote_id, by=by) as quote:
        WORKFLOW.check(quote, "submit")
        if not quote.lines.exists():
            raise ValidationError(_("Add at least one line before submitting the quote."))
        if quote.is_past_validity:
            raise ValidationError(
                {"valid_until": _("The valid-until date has passed; change it first.")}
            )
        rule = matching_rule(quote)
        if rule is not None and rule.action == ApprovalRule.Action.REQUIRE_MANAGER:
            quote.required_by_rule = rule.name
            WORKFLOW.run(
                quote,
                "submit",
                by=by,
                note=_("Needs a manager's approval under the rule “%(rule)s”.")
                % {"rule": rule.name},
            )
            notifications.waiting_for_approval(quote)
            return quote
        WORKFLOW.run(quote, "submit", by=by)
        if rule is not None:
            quote.approve(
                by=None,
                rule=rule.name,
                description=_("Approved automatically by the rule “%(rule)s”.")
                % {"rule": rule.name},
            )
            quote.save()
            outbox.record(EventType.QUOTE_APPROVED, quote)
        else:
            notifications.waiting_for_approval(quote)
    return quote


def approve_quote(*, quote_id, by, note: str = "") -> Quote:
    """Approve a quote waiting for approval. Needs ``quotes.approve_quote``; four eyes:
    nobody approves a quote they created or submitted, managers included."""
    with WORKFLOW.locked(quote_id, by=by) as quote:
        WORKFLOW.check(quote, "approve", by=by)
        if by.pk in (quote.created_by_id, quote.submitted_by_id):
            raise PermissionDenied(_("You cannot approve a quote you created or submitted."))
        WORKFLOW.run(quote, "approve", by=by, note=note)
        notifications.decided(quote)
    return quote


def reject_quote(*, quote_id, by, reason: str) -> Quote:
    """Reject a quote waiting for approval, with the reason the salesperson will read."""
    with WORKFLOW.locked(quote_id, by=by) as quote:
        WORKFLOW.check(quote, "reject", by=by)
        if not (reason or "").strip():
            raise ValidationError({"reason": _("Say why the quote is rejected.")})
        WORKFLOW.run(quote, "reject", by=by, note=reason)
        notifications.decided(quote)
    return quote


decline_quote = WORKFLOW.service("decline", doc="The customer declined a sent quote.")
cancel_quote = WORKFLOW.service("cancel", doc="Cancel a quote that is still open.")


def send_quote(*, quote_id, by, note: str = "") -> Quote:
    """Mark an approved quote as sent to the customer; one past its valid-until date is
    refused (it can only expire). From now on the quote has its customer link
    (quotes.public_links), for this revision only."""
    with WORKFLOW.locked(quote_id, by=by) as quote:
        WORKFLOW.check(quote, "send")
        if quote.is_past_validity:
            raise ValidationError(_("This quote has expired and cannot be sent."))
        quote.public_key = quote.public_key or public_links.new_key()
        WORKFLOW.run(quote, "send", by=by, note=note)
    return quote


def revise_quote(*, quote_id, by, note: str = "") -> Quote:
    """Revise a quote; returns the draft to change and submit again.

    A rejected quote never reached the customer: it simply goes back to draft, forgetting
    the earlier submission and decision. An approved, sent, declined or expired quote keeps
    its terms for ever: a new revision is made instead (number ``<base>-R<n>``, a draft with
    copies of its lines, terms and notes, needing approval again) and the quote becomes
    superseded, its customer link answering that a newer version replaced it. Only the
    latest revision can be revised (the others are superseded), also when two people try
    at once: the second finds it superseded under the lock.
    """
    with WORKFLOW.locked(quote_id, by=by) as quote:
        if quote.status == Status.REJECTED:
            WORKFLOW.run(quote, "revise", by=by, note=note)
            return quote
        WORKFLOW.check(quote, "revise", allowed=can_proceed(quote.supersede))
        revision = new_revision(quote, by=by)
        outbox.record(EventType.QUOTE_REVISED, revision)
        WORKFLOW.run(
            quote,
            "supersede",
            by=by,
            note=note or _("Replaced by revision %(number)s.") % {"number": revision.number},
        )
    return revision


def accept_quote(*, quote_id, by, note: str = "") -> Quote:
    """The customer accepted. A quote past its valid-until date can never be accepted, even
    before `expire_quotes` has run."""
    with WORKFLOW.locked(quote_id, by=by) as quote:
        accept_locked_quote(quote, by=by, note=note)
    return quote


def accept_locked_quote(quote: Quote, *, by, note: str = "") -> None:
    """Accept a quote the caller has already locked (orders use this inside their own
    transaction). Already accepted is fine; expired by date or by state is refused."""
    if quote.is_past_validity:
        raise ValidationError(_("This quote has expired."))
    if quote.status != Quote.Status.ACCEPTED:
        WORKFLOW.run(quote, "accept", by=by, note=note)


def expire_quotes(*, today=None) -> int:
    """Expire every approved or sent quote past its valid-until date. Safe to run again:
    a quote already expired is not touched. Returns how many expired now."""
    expired = 0
    for quote_id in Quote.objects.past_validity(today).values_list("pk", flat=True).iterator():
        with transaction.atomic():
            quote = (
                Quote.objects.select_for_update(of=("self",))
                .filter(pk=quote_id, status__in=["approved", "sent"])
                .first()
            )
            if quote is None or not can_proceed(quote.expire):
                continue
            quote.expire(
                description=_("Valid until %(date)s.") % {"date": quote.valid_until.isoformat()}
            )
            quote.save()
            outbox.record(EventType.QUOTE_EXPIRED, quote)
            expired += 1
    return expired


#: Every action a person can take on a quote's page, in the order its buttons appear.
ACTIONS = ("submit", "approve", "reject", "revise", "send", "accept", "decline", "cancel")


def available_actions(quote: Quote, user) -> list[str]:
    """The actions to offer ``user`` on ``quote`` now (for buttons only: the service of
    each action decides again, under the lock). Deciding is for holders of
    ``quotes.approve_quote`` who neither created nor submitted the quote; a quote past its
    valid-until date is neither sent nor accepted."""
    actions = []
    for name in ACTIONS:
        step = getattr(quote, name)
        if name == "revise" and quote.status in Quote.REVISABLE:
            step = quote.supersede  # a new revision replaces it
        if not can_proceed(step) or not has_transition_perm(step, user):
            continue
        if name in ("approve", "reject") and user.pk in (
            quote.created_by_id,
            quote.submitted_by_id,
        ):
            continue
        if name in ("send", "accept") and quote.is_past_validity:
            continue
        actions.append(name)
    return actions
