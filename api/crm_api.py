"""The Python API: the product's operations for scripts, automation and integrations.

Every function acts as ``user=`` (keyword), with that user's visibility and permissions, and
calls the same service functions as the pages and the admin: no rule lives here. Run it in
``manage.py shell``::

    from api import crm_api

    customer = crm_api.create_customer(name="John Doe", phone="1234567890", email="john@example.com", user=u)
    opportunity = crm_api.create_opportunity(customer_id=customer.id, amount=10000, stage="qualified", user=u)
    communication = crm_api.create_communication(opportunity_id=opportunity.id, type="phone", content="Hello, John", user=u)
    quote = crm_api.create_quote(opportunity_id=opportunity.id, amount=9500, valid_until="2030-12-31", user=u)
    crm_api.submit_quote(quote.id, user=u)
    quote = crm_api.approve_quote(quote.id, user=manager)
    order = crm_api.create_order(quote_id=quote.id, customer_id=customer.id, status="confirmed", user=manager)

Guarantees of every function:

- it returns the model instance, read again from the database after the change;
- a record id is given positionally or by keyword (``submit_quote(7, user=u)`` or
  ``submit_quote(quote_id=7, user=u)``); everything else by keyword;
- dates are ``date`` objects or ISO strings (``"2030-12-31"``); amounts are ``Decimal``, int,
  float or str, read through their text form (never through binary floating point);
- a bad call (unknown or missing keyword, wrong type, an id the user may not see, an
  invalid value, a step the record's state does not allow) raises ``ValidationError``; an
  action the user may not take (an anonymous or inactive user, approving without the
  permission, approving one's own quote or order) raises ``PermissionDenied``. Both carry a clear message, a
  record the user may not see is reported as not found, and the database is left unchanged:
  each call runs in one transaction.
"""

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

from api import calls
from communications import services as communication_services
from crm.values import to_money
from customers import services as customer_services
from customers.models import Customer
from imports import services as import_services
from imports.models import ImportRun
from opportunities import services as opportunity_services
from opportunities.models import Opportunity
from orders import services as order_services
from orders.models import Order
from quotes import services as quote_services
from quotes.models import Quote


def _quote_lines(opportunity_id: int, amount, lines) -> list[dict]:
    if amount is not None and lines is not None:
        raise ValidationError(_("Give either amount= (one line) or lines=, not both."))
    if amount is not None:
        opportunity = Opportunity.objects.get(pk=opportunity_id)
        unit_price = to_money(amount, field="amount")
        return [{"description": opportunity.name, "quantity": Decimal(1), "unit_price": unit_price}]
    if (
        not isinstance(lines, list | tuple)
        or not lines
        or not all(isinstance(line, Mapping) for line in lines)
    ):
        raise ValidationError(
            {
                "lines": _(
                    "Give amount=, or lines= as a list of dicts with description, quantity, "
                    "unit_price and discount_percent."
                )
            }
        )
    numbers = ("quantity", "unit_price", "discount_percent")
    return [
        {
            **line,
            **{name: calls.to_decimal(line[name], field=name) for name in numbers if name in line},
        }
        for line in lines
    ]


# Customers, opportunities and communications


@calls.operation
def create_customer(*, name, phone="", email="", owner=None, user, **details) -> Customer:
    """Create a customer owned by ``user`` (a sales manager may name another ``owner``).

    ``details`` may set kind, industry, source, status, rating, website, address, needs and
    notes. Values are validated like the customer form's. A known e-mail or phone is not
    refused here (the pages warn about duplicates); check first if that matters.
    """
    unknown = sorted(set(details) - set(customer_services.CUSTOMER_FIELDS))
    if unknown:
        raise ValidationError(
            _("%(function)s() has no argument %(names)s.")
            % {"function": "create_customer", "names": ", ".join(unknown)}
        )
    if owner is not None and not (isinstance(owner, get_user_model()) and owner.is_active):
        raise ValidationError({"owner": _("The owner must be an active user.")})
    return customer_services.create_customer(
        by=user, owner=owner, name=name, phone=phone, email=email, **details
    )


@calls.operation
def create_opportunity(
    *,
    customer_id,
    amount=0,
    stage="prospecting",
    name=None,
    probability=None,
    expected_close_date=None,
    next_step="",
    description="",
    user,
) -> Opportunity:
    """Open a deal on one of ``user``'s current customers, in an open stage (default
    prospecting). The name defaults to "Opportunity with <customer>"; the probability to the
    stage's unless given; ``amount`` is money, ``expected_close_date`` a date.
    """
    details = {"amount": amount, "next_step": next_step, "description": description}
    optional = {
        "name": name,
        "probability": probability,
        "expected_close_date": expected_close_date,
    }
    details.update({key: value for key, value in optional.items() if value is not None})
    return opportunity_services.create_opportunity(
        by=user, customer_id=customer_id, stage=stage, **details
    )


@calls.operation
def move_opportunity(opportunity_id, *, stage, note="", user) -> Opportunity:
    """Move a deal to ``stage``: among the open stages, to won, to lost (``note`` is then the
    required reason), or from lost back to an open stage; each move is recorded."""
    return opportunity_services.change_stage(
        opportunity_id=opportunity_id, by=user, to=stage, note=note
    )


@calls.operation
def create_communication(
    *,
    type,  # the channel: phone, email, meeting, visit, message or other
    opportunity_id=None,
    customer_id=None,
    content="",
    subject="",
    direction="outbound",
    occurred_at=None,
    follow_up_on=None,
    user,
):
    """Record a communication written by ``user`` with a customer, or about an opportunity
    (its customer follows). ``occurred_at`` defaults to now and cannot lie in the future;
    ``follow_up_on`` puts it on ``user``'s follow-up list; an empty subject comes from the
    content."""
    return communication_services.create_communication(
        by=user,
        customer_id=customer_id,
        opportunity_id=opportunity_id,
        channel=type,
        direction=direction,
        subject=subject,
        content=content,
        occurred_at=occurred_at,
        follow_up_on=follow_up_on,
    )


# Quotes


@calls.operation
def create_quote(
    *, opportunity_id, valid_until, amount=None, lines=None, terms="", notes="", user
) -> Quote:
    """A draft quote with a new number for an opportunity ``user`` may see.

    ``amount`` makes one line (the opportunity's name, quantity 1, unit price = amount);
    ``lines`` instead gives several, as dicts with description, quantity, unit_price and
    optional discount_percent. ``valid_until`` is today or later. Totals follow the lines.
    """
    return quote_services.create_quote(
        by=user,
        opportunity_id=opportunity_id,
        valid_until=valid_until,
        lines=_quote_lines(opportunity_id, amount, lines),
        terms=terms,
        notes=notes,
    )


# Orders


@calls.operation
def create_order(*, quote_id, customer_id=None, status="draft", notes="", user) -> Order:
    """The order of an approved, sent or accepted quote that is still valid (the quote
    becomes accepted), with its lines and total; at most one per quote. ``customer_id``, when
    given, must be the quote's customer. ``status`` is draft (default), pending_approval, or
    confirmed, which only a user who may approve orders can ask for: it records their
    approval and marks the opportunity won."""
    return order_services.create_order(
        by=user, quote_id=quote_id, customer_id=customer_id, status=status, notes=notes
    )


# Imports


def import_records(
    file, *, kind, mapping=None, on_duplicate="skip", owner=None, dry_run=False, user
) -> ImportRun:
    """Import a CSV or .xlsx ``file`` (a path, or a binary file object with a ``name``) of
    ``kind`` "customers" (with a contact per row), "opportunities" or "communications", as
    the Import page does, here and now rather than on the worker. ``mapping`` is
    ``{column: field or None}`` (default: guessed from the headers); ``on_duplicate`` is
    "skip", "update" or "create" for rows matching one of ``user``'s customers; ``owner``
    (managers) owns every record. Returns the finished import with its counts, each row's
    outcome in ``.rows`` and the result file; ``dry_run`` stores nothing and returns the
    counts the import would have had. A file or mapping that cannot be used raises
    ``ValidationError`` and keeps nothing."""
    user = calls.acting_user(user)
    if isinstance(file, str | Path):
        path = Path(file)
        if not path.is_file():
            raise ValidationError({"file": _("There is no file %(path)s.") % {"path": path}})
        with path.open("rb") as opened:
            return import_records(
                File(opened, name=path.name),
                kind=kind,
                mapping=mapping,
                on_duplicate=on_duplicate,
                owner=owner,
                dry_run=dry_run,
                user=user,
            )
    return import_services.import_now(
        by=user,
        kind=kind,
        file=file,
        mapping=mapping,
        on_duplicate=on_duplicate,
        owner=owner,
        dry_run=dry_run,
    )


# The workflow steps of quotes and orders


#: One row per function ``name(record_id, *, extra=default, user)`` that calls ``service`` with
#: ``by=user``: (name, service, record id keyword, (extra keyword, default) or None, docstring).
WORKFLOW_STEPS = [
    (
        "submit_quote",
        quote_services.submit_quote,
        "quote_id",
        None,
        """Send a draft for approval; an automatic-approval rule, if one covers it, approves it
        at once (by default none exists and a manager decides).""",
    ),
    (
        "approve_quote",
        quote_services.approve_quote,
        "quote_id",
        ("note", ""),
        """Approve a quote pending approval. Needs the approve permission (sales managers) and
        four eyes: nobody approves a quote they created or submitted.""",
    ),
    (
        "reject_quote",
        quote_services.reject_quote,
        "quote_id",
        ("reason", ""),
        "Reject a quote pending approval with the ``reason`` (required) the salesperson reads.",
    ),
    (
        "revise_quote",
        quote_services.revise_quote,
        "quote_id",
        ("note", ""),
        """Revise a quote and return the draft to change: a rejected quote goes back to draft,
        forgetting the earlier submission and decision; an approved, sent, declined or expired
        one gets a new revision (``<number>-R<n>``, lines copied) and becomes superseded.""",
    ),
    (
        "send_quote",
        quote_services.send_quote,
        "quote_id",
        ("note", ""),
        "Record that an approved quote, still valid, went to the customer.",
    ),
    (
        "accept_quote",
        quote_services.accept_quote,
        "quote_id",
        ("note", ""),
        "Record that the customer accepted an approved or sent quote that is still valid.",
    ),
    (
        "decline_quote",
        quote_services.decline_quote,
        "quote_id",
        ("note", ""),
        "Record that the customer declined a sent quote.",
    ),
    (
        "cancel_quote",
        quote_services.cancel_quote,
        "quote_id",
        ("note", ""),
        "Cancel a quote that is still open (draft, pending approval, approved, rejected, sent).",
    ),
    (
        "submit_order",
        order_services.submit_order,
        "order_id",
        None,
        "Ask a manager to approve a draft order.",
    ),
    (
        "approve_order",
        order_services.approve_order,
        "order_id",
        ("note", ""),
        """Confirm an order pending approval and mark its opportunity won. Needs the approve
        permission and four eyes, like quotes.""",
    ),
    (
        "reject_order",
        order_services.reject_order,
        "order_id",
        ("reason", ""),
        "Reject an order pending approval with the ``reason`` (required) the salesperson reads.",
    ),
    (
        "fulfil_order",
        order_services.fulfil_order,
        "order_id",
        ("note", ""),
        "Record that a confirmed order was delivered.",
    ),
    (
        "complete_order",
        order_services.complete_order,
        "order_id",
        ("note", ""),
        "Close a fulfilled order as completed.",
    ),
    (
        "cancel_order",
        order_services.cancel_order,
        "order_id",
        ("note", ""),
        "Cancel an order that is still open (draft, pending approval, confirmed, rejected).",
    ),
]
# Module attributes like the functions above: crm_api.submit_quote, dir() and help() see them.
globals().update(
    {name: calls.workflow_step(name, *row, module=__name__) for name, *row in WORKFLOW_STEPS}
)
