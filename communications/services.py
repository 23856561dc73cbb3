"""Every change to communications. Views, admin actions and the API call these.

The rules live here once: a communication belongs to a customer the author may see; its
opportunity, if any, is one of that customer's; the customer follows from the opportunity
when only the opportunity is named. A foreign or mismatched id is refused with a message on
the field it came from, and nothing is saved.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from communications.models import Communication
from crm.values import to_date, to_datetime
from crm.workflow import locked
from customers.models import Customer
from opportunities.models import Opportunity
from webhooks import outbox
from webhooks.events import EventType

EDITABLE_FIELDS = (
    "customer_id",
    "opportunity_id",
    "channel",
    "direction",
    "subject",
    "content",
    "occurred_at",
    "follow_up_on",
)
#: How much of the content becomes the subject when none is given.
SUBJECT_FROM_CONTENT_CHARS = 80
#: Tolerance for clocks that run a little ahead when "when it happened" is "now".
FUTURE_TOLERANCE_SECONDS = 300


def _to_id(value, *, field: str) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValidationError({field: _("Choose a valid record.")})
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("Choose a valid record.")}) from None
    if not 0 < pk < 2**63:
        raise ValidationError({field: _("Choose a valid record.")})
    return pk


def _visible_customer(customer_id: int, by) -> Customer:
    customer = Customer.objects.visible_to(by).active().filter(pk=customer_id).first()
    if customer is None:
        raise ValidationError({"customer": _("Choose one of your current customers.")})
    return customer


def _visible_opportunity(opportunity_id: int, by) -> Opportunity:
    opportunity = Opportunity.objects.visible_to(by).filter(pk=opportunity_id).first()
    if opportunity is None:
        raise ValidationError({"opportunity": _("Choose one of your customers' opportunities.")})
    return opportunity


def _check_same_customer(opportunity: Opportunity | None, customer_id: int) -> None:
    if opportunity is not None and opportunity.customer_id != customer_id:
        raise ValidationError({"opportunity": _("This opportunity belongs to another customer.")})


def _subject_from(subject, content) -> str:
    """The subject as given, or else the first line of the content, shortened."""
    subject = (subject or "").strip()
    if subject:
        return subject
    first_line = next((line.strip() for line in (content or "").splitlines() if line.strip()), "")
    return Truncator(first_line).chars(SUBJECT_FROM_CONTENT_CHARS)


def _occurred_at(value):
    occurred_at = to_datetime(value, field="occurred_at") or timezone.now()
    if (occurred_at - timezone.now()).total_seconds() > FUTURE_TOLERANCE_SECONDS:
        raise ValidationError(
            {
                "occurred_at": _(
                    "A communication cannot happen in the future; "
                    "plan the next contact with a follow-up date."
                )
            }
        )
    return occurred_at


def create_communication(
    *,
    by,
    customer_id=None,
    opportunity_id=None,
    channel,
    direction=Communication.Direction.OUTBOUND,
    subject="",
    content="",
    occurred_at=None,
    follow_up_on=None,
) -> Communication:
    """Record a communication written by ``by``.

    Guarantees: the customer is one of ``by``'s current customers (a manager's: any) and the
    opportunity, when given, is one ``by`` may see and belongs to that customer; with only
    ``opportunity_id``, the customer is the opportunity's. ``occurred_at`` defaults to now
    and cannot lie in the future; an empty subject is taken from the content. Dates may be
    objects or ISO strings. Any broken rule raises ValidationError keyed by the field, and
    nothing is saved.
    """
    customer_pk = _to_id(customer_id, field="customer")
    opportunity_pk = _to_id(opportunity_id, field="opportunity")
    opportunity = _visible_opportunity(opportunity_pk, by) if opportunity_pk else None
    if customer_pk is None:
        if opportunity is None:
            raise ValidationError({"customer": _("Choose a customer or an opportunity.")})
        customer_pk = opportunity.customer_id
    customer = _visible_customer(customer_pk, by)
    _check_same_customer(opportunity, customer.pk)
    communication = Communication(
        customer=customer,
        opportunity=opportunity,
        author=by,
        channel=channel,
        direction=direction,
        subject=_subject_from(subject, content),
        content=content or "",
        occurred_at=_occurred_at(occurred_at),
        follow_up_on=to_date(follow_up_on, field="follow_up_on"),
    )
    # The customer and the deal were just read as ones ``by`` may see, the author is ``by``,
    # and a new record's follow-up is not done: nothing for the database to confirm (an
    # import makes thousands of these).
    communication.full_clean(
        exclude=["customer", "opportunity", "author"], validate_constraints=False
    )
    with transaction.atomic():
        communication.save()
        outbox.record(EventType.COMMUNICATION_CREATED, communication)
    return communication


def update_communication(*, communication_id, by, **values) -> Communication:
    """Change a communication ``by`` may see, with the row locked.

    Guarantees the same rules as `create_communication`: a new customer must be one of
    ``by``'s current customers, and the opportunity (new or kept) must belong to the
    communication's customer. The author stays. A new follow-up date reopens a follow-up
    that was done (it is a new appointment); clearing the date clears the done mark. Unknown
    fields, like broken rules, raise ValidationError and change nothing.
    """
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    with locked(Communication, communication_id, by=by) as communication:
        if "customer_id" in values:
            customer_pk = _to_id(values["customer_id"], field="customer")
            if customer_pk is None:
                raise ValidationError({"customer": _("Choose one of your current customers.")})
            if customer_pk != communication.customer_id:
                communication.customer = _visible_customer(customer_pk, by)
        if "opportunity_id" in values:
            opportunity_pk = _to_id(values["opportunity_id"], field="opportunity")
            if opportunity_pk is None:
                communication.opportunity = None
            elif opportunity_pk != communication.opportunity_id:
                communication.opportunity = _visible_opportunity(opportunity_pk, by)
        if communication.opportunity_id:
            _check_same_customer(communication.opportunity, communication.customer_id)
        for name in ("channel", "direction", "content"):
            if name in values:
                setattr(communication, name, values[name] or "")
        if "subject" in values or "content" in values:
            communication.subject = _subject_from(
                values.get("subject", communication.subject), communication.content
            )
        if "occurred_at" in values:
            communication.occurred_at = _occurred_at(values["occurred_at"])
        if "follow_up_on" in values:
            follow_up_on = to_date(values["follow_up_on"], field="follow_up_on")
            if follow_up_on != communication.follow_up_on:
                communication.follow_up_on = follow_up_on
                communication.follow_up_done = False
                communication.follow_up_done_at = None
        communication.full_clean()
        communication.save()
        outbox.record(EventType.COMMUNICATION_UPDATED, communication)
    return communication


def set_follow_up_done(*, communication_id, by, done: bool = True) -> Communication:
    """Mark the follow-up of a communication ``by`` may see as done (or, with ``done=False``,
    open again), with the row locked. Guarantees: the done time is recorded when it is marked
    done and cleared when reopened; marking it again changes nothing; a communication without
    a follow-up date is refused with a ValidationError.
    """
    with locked(Communication, communication_id, by=by) as communication:
        if communication.follow_up_on is None:
            raise ValidationError(_("This communication has no follow-up."))
        if communication.follow_up_done != done:
            communication.follow_up_done = done
            communication.follow_up_done_at = timezone.now() if done else None
            communication.save(update_fields=["follow_up_done", "follow_up_done_at", "updated_at"])
            outbox.record(EventType.COMMUNICATION_UPDATED, communication)
    return communication
