"""The Python API (api.crm_api): the design's example, every function, and every kind of bad call.

A bad call must raise ValidationError or PermissionDenied with a message and leave the
database exactly as it was; `nothing_changes` compares row counts, states and number series
before and after.
"""

import inspect
import pydoc
import re
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_fsm_log.models import StateLog

from api import crm_api
from communications.models import Communication
from crm.models import NumberSequence
from customers.models import Contact, Customer
from opportunities.models import Opportunity
from orders.models import Order, OrderLine
from quotes.models import Quote, QuoteLine
from tests.factories import (
    CustomerFactory,
    ManagerFactory,
    OpportunityFactory,
    SalespersonFactory,
)

pytestmark = pytest.mark.django_db

IN_A_MONTH = timezone.localdate() + timedelta(days=30)
TRACKED = [
    Customer,
    Contact,
    Opportunity,
    Communication,
    Quote,
    QuoteLine,
    Order,
    OrderLine,
    StateLog,
]


def snapshot() -> dict:
    return {
        "counts": {model.__name__: model.objects.count() for model in TRACKED},
        "opportunities": list(
            Opportunity.objects.order_by("pk").values_list("pk", "stage", "updated_at")
        ),
        "quotes": list(Quote.objects.order_by("pk").values_list("pk", "status", "updated_at")),
        "orders": list(Order.objects.order_by("pk").values_list("pk", "status", "updated_at")),
        "numbers": list(NumberSequence.objects.order_by("series").values_list("series", "last")),
    }


@contextmanager
def nothing_changes():
    before = snapshot()
    yield
    assert snapshot() == before


def new_quote(user, opportunity, **kwargs) -> Quote:
    kwargs.setdefault("amount", 1000)
    return crm_api.create_quote(
        opportunity_id=opportunity.id, valid_until=IN_A_MONTH, user=user, **kwargs
    )


def approved_quote(seller, manager, opportunity) -> Quote:
    quote = new_quote(seller, opportunity)
    crm_api.submit_quote(quote.id, user=seller)
    return crm_api.approve_quote(quote.id, user=manager)


@pytest.fixture
def deal(customer):
    return OpportunityFactory(customer=customer, stage="proposal", name="Fleet tracking pilot")


@pytest.fixture
def world(salesperson, teammate, manager, customer, deal):
    """Records in every state a bad call may aim at: the salesperson's own and a teammate's."""
    own = SimpleNamespace(u=salesperson, manager=manager, customer=customer, deal=deal)
    own.other_customer = CustomerFactory(owner=salesperson)
    own.draft = new_quote(salesperson, deal)
    own.pending = crm_api.submit_quote(new_quote(salesperson, deal).id, user=salesperson)
    own.approved = approved_quote(salesperson, manager, deal)
    own.order = crm_api.create_order(
        quote_id=approved_quote(salesperson, manager, deal).id, user=salesperson
    )
    own.pending_order = crm_api.create_order(
        quote_id=approved_quote(salesperson, manager, deal).id,
        status="pending_approval",
        user=salesperson,
    )
    own.managers_quote = crm_api.submit_quote(new_quote(manager, deal).id, user=manager)
    secret = CustomerFactory(owner=teammate, name="Secret Teammate Customer")
    secret_deal = OpportunityFactory(customer=secret, stage="proposal")
    own.foreign = SimpleNamespace(
        customer=secret,
        deal=secret_deal,
        quote=new_quote(teammate, secret_deal),
        order=crm_api.create_order(
            quote_id=approved_quote(teammate, manager, secret_deal).id, user=teammate
        ),
    )
    return own


# The example of DESIGN.md, exactly as written there.


def test_design_example_leaves_a_confirmed_order_accepted_quote_and_won_deal(salesperson, manager):
    u = salesperson

    customer = crm_api.create_customer(name="John Doe", phone="1234567890", email="john@example.com", user=u)  # fmt: skip
    opportunity = crm_api.create_opportunity(customer_id=customer.id, amount=10000, stage="qualified", user=u)  # fmt: skip
    communication = crm_api.create_communication(opportunity_id=opportunity.id, type="phone", content="Hello, John", user=u)  # fmt: skip
    quote = crm_api.create_quote(opportunity_id=opportunity.id, amount=9500, valid_until="2030-12-31", user=u)  # fmt: skip
    crm_api.submit_quote(quote.id, user=u)
    quote = crm_api.approve_quote(quote.id, user=manager)
    order = crm_api.create_order(quote_id=quote.id, customer_id=customer.id, status="confirmed", user=manager)  # fmt: skip

    assert (customer.owner, customer.phone, customer.email) == (u, "1234567890", "john@example.com")
    assert (opportunity.amount, opportunity.owner) == (Decimal("10000.00"), u)
    assert (communication.channel, communication.customer, communication.author) == (
        "phone",
        customer,
        u,
    )
    assert quote.decided_by == manager
    assert quote.total == Decimal("9500.00")
    assert quote.valid_until == date(2030, 12, 31)
    assert [(line.description, line.quantity, line.unit_price) for line in quote.lines.all()] == [
        (opportunity.name, Decimal("1.00"), Decimal("9500.00"))
    ]
    assert (order.status, order.customer, order.total) == (
        "confirmed",
        customer,
        Decimal("9500.00"),
    )
    assert order.decided_by == manager
    quote.refresh_from_db()
    opportunity.refresh_from_db()
    assert quote.status == "accepted"
    assert opportunity.stage == "won"


def readme_api_blocks() -> list[str]:
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Python API\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)


def test_readme_python_api_example_runs_as_documented(capsys):
    SalespersonFactory(username="alice")
    ManagerFactory(username="manager")
    blocks = readme_api_blocks()
    assert blocks, "the README's Python API section has no python example"

    namespace: dict = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)

    printed = capsys.readouterr().out
    assert " confirmed 9500.00\n" in printed
    assert "Only a sales manager can approve or reject quotes." in printed
    assert "No quote with id 999999999 was found." in printed
    order = Order.objects.get(pk=namespace["order"].pk)
    assert order.status == "confirmed"
    assert order.quote.status == "accepted"
    assert order.quote.opportunity.stage == "won"


def test_module_documents_the_example_and_every_function():
    for line in [
        'crm_api.create_customer(name="John Doe", phone="1234567890", email="john@example.com", user=u)',
        'crm_api.create_order(quote_id=quote.id, customer_id=customer.id, status="confirmed", user=manager)',
    ]:
        assert line in crm_api.__doc__
    public = [name for name in dir(crm_api) if name.split("_")[0] in PUBLIC_VERBS]
    assert len(public) == 20
    for name in public:
        assert getattr(crm_api, name).__doc__, name


PUBLIC_VERBS = {
    *("create", "move", "submit", "approve", "reject", "revise", "send", "accept", "decline"),
    *("cancel", "fulfil", "complete"),
}


# The workflow steps are written once, as a table; each is still a function of its own.

WORKFLOW_SIGNATURES = {
    "submit_quote": "(quote_id, *, user) -> quotes.models.quote.Quote",
    "approve_quote": "(quote_id, *, note='', user) -> quotes.models.quote.Quote",
    "reject_quote": "(quote_id, *, reason='', user) -> quotes.models.quote.Quote",
    "revise_quote": "(quote_id, *, note='', user) -> quotes.models.quote.Quote",
    "send_quote": "(quote_id, *, note='', user) -> quotes.models.quote.Quote",
    "accept_quote": "(quote_id, *, note='', user) -> quotes.models.quote.Quote",
    "decline_quote": "(quote_id, *, note='', user) -> quotes.models.quote.Quote",
    "cancel_quote": "(quote_id, *, note='', user) -> quotes.models.quote.Quote",
    "submit_order": "(order_id, *, user) -> orders.models.Order",
    "approve_order": "(order_id, *, note='', user) -> orders.models.Order",
    "reject_order": "(order_id, *, reason='', user) -> orders.models.Order",
    "fulfil_order": "(order_id, *, note='', user) -> orders.models.Order",
    "complete_order": "(order_id, *, note='', user) -> orders.models.Order",
    "cancel_order": "(order_id, *, note='', user) -> orders.models.Order",
}


@pytest.mark.parametrize("name", WORKFLOW_SIGNATURES)
def test_workflow_step_is_a_module_function_with_its_signature_and_help(name):
    function = getattr(crm_api, name)

    assert str(inspect.signature(function)) == WORKFLOW_SIGNATURES[name]
    assert (function.__name__, function.__qualname__, function.__module__) == (
        name,
        name,
        "api.crm_api",
    )
    assert function.__doc__.strip() == function.__doc__
    help_text = pydoc.render_doc(crm_api, renderer=pydoc.plaintext)
    assert f"{name}{WORKFLOW_SIGNATURES[name]}\n        {function.__doc__.splitlines()[0]}" in (
        help_text
    )


WORKFLOW_BAD_CALLS = {
    "unknown keyword": (
        lambda w: crm_api.reject_quote(w.pending.id, note="No", user=w.manager),
        "reject_quote() has no argument note.",
    ),
    "missing id": (
        lambda w: crm_api.approve_order(user=w.manager),
        "approve_order() needs order_id=.",
    ),
    "missing user": (lambda w: crm_api.revise_quote(w.draft.id), "revise_quote() needs user=."),
    "user given positionally": (
        lambda w: crm_api.submit_order(w.order.id, w.u),
        "Wrong call of submit_order(): too many positional arguments. Give the record id "
        "first, the rest by keyword.",
    ),
    "note not text": (
        lambda w: crm_api.cancel_order(w.order.id, note=5, user=w.u),
        "Give note as text, not 5.",
    ),
    "text id": (
        lambda w: crm_api.fulfil_order("abc", user=w.u),
        "Give order_id as a whole number, not 'abc'.",
    ),
    "teammate's quote": (
        lambda w: crm_api.send_quote(quote_id=w.foreign.quote.id, user=w.u),
        "No quote with id {w.foreign.quote.id} was found.",
    ),
    "no user": (
        lambda w: crm_api.decline_quote(w.draft.id, user=None),
        "Say who acts: pass user=, an active user account.",
    ),
}


@pytest.mark.parametrize("call, expected", WORKFLOW_BAD_CALLS.values(), ids=WORKFLOW_BAD_CALLS)
def test_workflow_step_refuses_a_bad_call_with_the_message_and_changes_nothing(
    world, call, expected
):
    with nothing_changes(), pytest.raises(ValidationError) as error:
        call(world)

    assert _message(error.value) == expected.format(w=world)


def test_workflow_step_refuses_an_anonymous_user(world):
    with nothing_changes(), pytest.raises(PermissionDenied) as error:
        crm_api.complete_order(world.order.id, user=AnonymousUser())

    assert str(error.value) == "Only a signed-in user account can act."


# Happy paths, one function after another.


def test_create_customer_takes_the_customers_details(salesperson):
    customer = crm_api.create_customer(
        name="Acme Trading",
        status="prospect",
        industry="retail",
        needs="Scanners",
        user=salesperson,
    )

    assert isinstance(customer, Customer)
    assert (customer.owner, customer.status, customer.industry, customer.needs) == (
        salesperson,
        "prospect",
        "retail",
        "Scanners",
    )


def test_manager_creates_a_customer_for_a_salesperson(manager, salesperson):
    customer = crm_api.create_customer(name="Acme", owner=salesperson, user=manager)

    assert customer.owner == salesperson


def test_create_opportunity_reads_iso_and_date_objects_and_text_amounts(customer, salesperson):
    by_text = crm_api.create_opportunity(
        customer_id=customer.id,
        amount="1234.50",
        expected_close_date="2031-03-01",
        name="Pilot",
        user=salesperson,
    )
    by_date = crm_api.create_opportunity(
        customer_id=str(customer.id),
        amount=0.1,
        expected_close_date=date(2031, 3, 2),
        probability=40,
        user=salesperson,
    )

    assert (by_text.amount, by_text.expected_close_date, by_text.name) == (
        Decimal("1234.50"),
        date(2031, 3, 1),
        "Pilot",
    )
    assert (by_date.amount, by_date.expected_close_date) == (Decimal("0.10"), date(2031, 3, 2))
    assert (by_date.stage, by_date.probability) == ("prospecting", 40)
    assert by_date.name == f"Opportunity with {customer.name}"


def test_move_opportunity_records_lost_with_reason_and_reopens(deal, salesperson):
    lost = crm_api.move_opportunity(deal.id, stage="lost", note="Budget cut", user=salesperson)
    reopened = crm_api.move_opportunity(opportunity_id=deal.id, stage="qualified", user=salesperson)

    assert (lost.stage, lost.lost_reason) == ("lost", "Budget cut")
    assert (reopened.stage, reopened.lost_reason) == ("qualified", "")
    assert StateLog.objects.for_(deal).count() == 2


def test_create_communication_with_a_customer_and_a_follow_up(customer, salesperson):
    yesterday = timezone.now() - timedelta(days=1)
    by_iso = crm_api.create_communication(
        customer_id=customer.id,
        type="meeting",
        subject="Workshop",
        direction="inbound",
        occurred_at=yesterday.isoformat(),
        follow_up_on=(timezone.localdate() + timedelta(days=3)).isoformat(),
        user=salesperson,
    )
    by_objects = crm_api.create_communication(
        customer_id=customer.id,
        type="email",
        content="Sent the brochure",
        occurred_at=yesterday,
        follow_up_on=timezone.localdate(),
        user=salesperson,
    )

    assert (by_iso.channel, by_iso.direction, by_iso.subject) == ("meeting", "inbound", "Workshop")
    assert by_iso.follow_up_on == timezone.localdate() + timedelta(days=3)
    assert by_iso.occurred_at == yesterday
    assert (by_objects.subject, by_objects.follow_up_on) == (
        "Sent the brochure",
        timezone.localdate(),
    )
    assert by_objects.opportunity is None


def test_create_quote_with_several_lines_reads_numbers_through_their_text(deal, salesperson):
    quote = crm_api.create_quote(
        opportunity_id=deal.id,
        valid_until=IN_A_MONTH,
        lines=[
            {"description": "Licences", "quantity": 3, "unit_price": 0.1, "discount_percent": "10"},
            {"description": "Set-up", "quantity": "1.5", "unit_price": Decimal("200")},
        ],
        terms="Net 30",
        user=salesperson,
    )

    assert (quote.status, quote.created_by, quote.terms) == ("draft", salesperson, "Net 30")
    assert quote.number.startswith("Q-")
    lines = list(quote.lines.values_list("description", "quantity", "unit_price", "line_total"))
    assert lines == [
        ("Licences", Decimal("3.00"), Decimal("0.10"), Decimal("0.27")),
        ("Set-up", Decimal("1.50"), Decimal("200.00"), Decimal("300.00")),
    ]
    assert (quote.subtotal, quote.discount_total, quote.total) == (
        Decimal("300.30"),
        Decimal("0.03"),
        Decimal("300.27"),
    )


@pytest.mark.parametrize(
    "valid_until",
    [IN_A_MONTH, IN_A_MONTH.isoformat(), datetime.combine(IN_A_MONTH, datetime.min.time())],
    ids=["date", "iso", "datetime"],
)
def test_create_quote_takes_dates_as_objects_or_iso_strings(deal, salesperson, valid_until):
    quote = crm_api.create_quote(
        opportunity_id=deal.id, amount="99.90", valid_until=valid_until, user=salesperson
    )

    assert (quote.valid_until, quote.total) == (IN_A_MONTH, Decimal("99.90"))


def test_record_ids_are_taken_positionally_or_by_keyword(deal, salesperson, manager):
    first = crm_api.submit_quote(new_quote(salesperson, deal).id, user=salesperson)
    second = crm_api.submit_quote(quote_id=new_quote(salesperson, deal).id, user=salesperson)
    approved = crm_api.approve_quote(quote_id=str(second.id), user=manager)

    assert (first.status, second.status, approved.status) == (
        "pending_approval",
        "pending_approval",
        "approved",
    )


def test_quote_rejected_revised_resubmitted_approved_sent_and_accepted(deal, salesperson, manager):
    quote = crm_api.submit_quote(new_quote(salesperson, deal).id, user=salesperson)

    rejected = crm_api.reject_quote(quote.id, reason="Too cheap", user=manager)
    assert (rejected.status, rejected.decision_reason, rejected.decided_by) == (
        "rejected",
        "Too cheap",
        manager,
    )
    revised = crm_api.revise_quote(quote.id, user=salesperson)
    assert (revised.status, revised.decided_by, revised.decision_reason) == ("draft", None, "")
    crm_api.submit_quote(quote.id, user=salesperson)
    approved = crm_api.approve_quote(quote.id, note="Fine", user=manager)
    assert (approved.status, approved.decided_by, approved.decision_reason) == (
        "approved",
        manager,
        "Fine",
    )
    assert crm_api.send_quote(quote.id, user=salesperson).status == "sent"
    assert crm_api.accept_quote(quote.id, user=salesperson).status == "accepted"
    assert StateLog.objects.for_(quote).count() == 7


def test_quote_declined_by_the_customer_and_a_draft_cancelled(deal, salesperson, manager):
    sent = crm_api.send_quote(approved_quote(salesperson, manager, deal).id, user=salesperson)
    draft = new_quote(salesperson, deal)

    assert crm_api.decline_quote(sent.id, note="Chose a rival", user=salesperson).status == (
        "declined"
    )
    assert crm_api.cancel_quote(draft.id, user=salesperson).status == "cancelled"


def test_order_goes_from_draft_to_completed_and_wins_the_deal(deal, salesperson, manager):
    quote = approved_quote(salesperson, manager, deal)

    order = crm_api.create_order(quote_id=quote.id, notes="Deliver to Pudong", user=salesperson)
    assert (order.status, order.total, order.notes) == ("draft", quote.total, "Deliver to Pudong")
    assert order.lines.count() == 1
    assert crm_api.submit_order(order.id, user=salesperson).status == "pending_approval"
    approved = crm_api.approve_order(order_id=order.id, user=manager)
    assert (approved.status, approved.decided_by) == ("confirmed", manager)
    deal.refresh_from_db()
    assert deal.stage == "won"
    assert crm_api.fulfil_order(order.id, user=salesperson).fulfilled_at is not None
    completed = crm_api.complete_order(order.id, user=salesperson)
    assert (completed.status, isinstance(completed, Order)) == ("completed", True)


def test_order_rejected_with_a_reason_and_another_cancelled(deal, salesperson, manager):
    waiting = crm_api.create_order(
        quote_id=approved_quote(salesperson, manager, deal).id,
        status="pending_approval",
        user=salesperson,
    )
    draft = crm_api.create_order(
        quote_id=approved_quote(salesperson, manager, deal).id, user=salesperson
    )

    rejected = crm_api.reject_order(waiting.id, reason="Credit limit", user=manager)
    assert (rejected.status, rejected.decision_reason) == ("rejected", "Credit limit")
    assert crm_api.cancel_order(draft.id, note="Duplicate", user=salesperson).status == (
        "cancelled"
    )


def test_functions_return_the_record_as_stored(deal, salesperson):
    quote = crm_api.submit_quote(new_quote(salesperson, deal).id, user=salesperson)

    stored = Quote.objects.get(pk=quote.pk)
    assert type(quote) is Quote
    assert (quote.status, quote.submitted_by, quote.updated_at) == (
        stored.status,
        stored.submitted_by,
        stored.updated_at,
    )


# Approvals cannot be skipped through the API.


def test_salesperson_cannot_approve_or_reject_a_quote(deal, salesperson):
    quote = crm_api.submit_quote(new_quote(salesperson, deal).id, user=salesperson)

    with nothing_changes():
        with pytest.raises(PermissionDenied):
            crm_api.approve_quote(quote.id, user=salesperson)
        with pytest.raises(PermissionDenied):
            crm_api.reject_quote(quote.id, reason="No", user=salesperson)


def test_manager_cannot_approve_a_quote_they_created_but_another_manager_can(deal, manager):
    quote = crm_api.submit_quote(new_quote(manager, deal).id, user=manager)

    with nothing_changes(), pytest.raises(PermissionDenied, match="created or submitted"):
        crm_api.approve_quote(quote.id, user=manager)

    assert crm_api.approve_quote(quote.id, user=ManagerFactory()).status == "approved"


def test_manager_cannot_approve_a_quote_they_submitted(deal, salesperson, manager):
    quote = crm_api.submit_quote(new_quote(salesperson, deal).id, user=manager)

    with nothing_changes(), pytest.raises(PermissionDenied):
        crm_api.approve_quote(quote.id, user=manager)


def test_salesperson_cannot_create_a_confirmed_order(deal, salesperson, manager):
    quote = approved_quote(salesperson, manager, deal)

    with nothing_changes(), pytest.raises(PermissionDenied):
        crm_api.create_order(quote_id=quote.id, status="confirmed", user=salesperson)


def test_a_failure_deep_inside_a_call_leaves_nothing_behind(
    deal, salesperson, manager, monkeypatch
):
    quote = approved_quote(salesperson, manager, deal)

    def broken_mark_won(**kwargs):
        raise ValidationError("The pipeline is closed for maintenance.")

    monkeypatch.setattr("orders.services.mark_won", broken_mark_won)
    with nothing_changes(), pytest.raises(ValidationError, match="maintenance"):
        crm_api.create_order(quote_id=quote.id, status="confirmed", user=manager)


# Bad calls: each raises with a message and changes nothing.

INVALID = {
    "unknown keyword": lambda w: crm_api.create_customer(name="X", colour="red", user=w.u),
    "unknown keyword on a step": lambda w: crm_api.submit_quote(w.draft.id, force=1, user=w.u),
    "by= instead of user=": lambda w: crm_api.submit_quote(w.draft.id, by=w.u),
    "missing keyword": lambda w: crm_api.create_quote(opportunity_id=w.deal.id, user=w.u),
    "user given positionally": lambda w: crm_api.submit_quote(w.draft.id, w.u),
    "id given twice": lambda w: crm_api.submit_quote(w.draft.id, quote_id=w.draft.id, user=w.u),
    "unknown line field": lambda w: new_quote(
        w.u,
        w.deal,
        amount=None,
        lines=[{"description": "X", "quantity": 1, "unit_price": 1, "colour": "red"}],
    ),
    "text id": lambda w: crm_api.submit_quote("abc", user=w.u),
    "boolean id": lambda w: crm_api.submit_quote(True, user=w.u),
    "float id": lambda w: crm_api.submit_quote(1.5, user=w.u),
    "record instead of id": lambda w: crm_api.submit_quote(w.draft, user=w.u),
    "negative id": lambda w: crm_api.submit_quote(-1, user=w.u),
    "huge id": lambda w: crm_api.submit_quote(2**70, user=w.u),
    "missing id": lambda w: crm_api.submit_quote(10**9, user=w.u),
    "amount not a number": lambda w: crm_api.create_opportunity(
        customer_id=w.customer.id, amount="lots", user=w.u
    ),
    "amount as a list": lambda w: new_quote(w.u, w.deal, amount=[1]),
    "negative amount": lambda w: new_quote(w.u, w.deal, amount=-5),
    "amount and lines": lambda w: new_quote(
        w.u, w.deal, lines=[{"description": "X", "quantity": 1, "unit_price": 1}]
    ),
    "neither amount nor lines": lambda w: new_quote(w.u, w.deal, amount=None),
    "lines as text": lambda w: new_quote(w.u, w.deal, amount=None, lines="two licences"),
    "line as a tuple": lambda w: new_quote(w.u, w.deal, amount=None, lines=[("X", 1, 1)]),
    "line without quantity": lambda w: new_quote(
        w.u, w.deal, amount=None, lines=[{"description": "X", "unit_price": 1}]
    ),
    "zero quantity": lambda w: new_quote(
        w.u, w.deal, amount=None, lines=[{"description": "X", "quantity": 0, "unit_price": 1}]
    ),
    "price as words": lambda w: new_quote(
        w.u, w.deal, amount=None, lines=[{"description": "X", "quantity": 1, "unit_price": "cheap"}]
    ),
    "total too large to store": lambda w: new_quote(
        w.u,
        w.deal,
        amount=None,
        lines=[{"description": "X", "quantity": 10**9, "unit_price": 10**11}],
    ),
    "date not ISO": lambda w: crm_api.create_quote(
        opportunity_id=w.deal.id, amount=1, valid_until="31/12/2030", user=w.u
    ),
    "date as a number": lambda w: crm_api.create_quote(
        opportunity_id=w.deal.id, amount=1, valid_until=20301231, user=w.u
    ),
    "date in the past": lambda w: crm_api.create_quote(
        opportunity_id=w.deal.id, amount=1, valid_until="2000-01-01", user=w.u
    ),
    "name not text": lambda w: crm_api.create_customer(name=123, user=w.u),
    "invalid e-mail": lambda w: crm_api.create_customer(name="X", email="nope", user=w.u),
    "owner not a user": lambda w: crm_api.create_customer(name="X", owner="bob", user=w.u),
    "unknown channel": lambda w: crm_api.create_communication(
        customer_id=w.customer.id, type="pigeon", user=w.u
    ),
    "channel not text": lambda w: crm_api.create_communication(
        customer_id=w.customer.id, type=1, user=w.u
    ),
    "communication in the future": lambda w: crm_api.create_communication(
        customer_id=w.customer.id, type="phone", occurred_at="2999-01-01T10:00", user=w.u
    ),
    "opportunity of another customer": lambda w: crm_api.create_communication(
        customer_id=w.other_customer.id, opportunity_id=w.deal.id, type="phone", user=w.u
    ),
    "unknown stage": lambda w: crm_api.create_opportunity(
        customer_id=w.customer.id, stage="dreaming", user=w.u
    ),
    "move to an unknown stage": lambda w: crm_api.move_opportunity(
        w.deal.id, stage="heaven", user=w.u
    ),
    "lost without a reason": lambda w: crm_api.move_opportunity(w.deal.id, stage="lost", user=w.u),
    "approve a draft": lambda w: crm_api.approve_quote(w.draft.id, user=w.manager),
    "accept a draft": lambda w: crm_api.accept_quote(w.draft.id, user=w.u),
    "submit twice": lambda w: crm_api.submit_quote(w.pending.id, user=w.u),
    "reject without a reason": lambda w: crm_api.reject_quote(w.pending.id, user=w.manager),
    "fulfil a draft order": lambda w: crm_api.fulfil_order(w.order.id, user=w.u),
    "reject an order without a reason": lambda w: crm_api.reject_order(
        w.pending_order.id, user=w.manager
    ),
    "second order for a quote": lambda w: crm_api.create_order(quote_id=w.order.quote_id, user=w.u),
    "order from a draft quote": lambda w: crm_api.create_order(quote_id=w.draft.id, user=w.u),
    "order for another customer": lambda w: crm_api.create_order(
        quote_id=w.approved.id, customer_id=w.other_customer.id, user=w.u
    ),
    "unknown order status": lambda w: crm_api.create_order(
        quote_id=w.approved.id, status="shipped", user=w.u
    ),
    "no user": lambda w: crm_api.submit_quote(w.draft.id, user=None),
    "user as a name": lambda w: crm_api.submit_quote(w.draft.id, user="alice"),
}

FOREIGN = {
    "customer": lambda w: crm_api.create_opportunity(customer_id=w.foreign.customer.id, user=w.u),
    "customer of a communication": lambda w: crm_api.create_communication(
        customer_id=w.foreign.customer.id, type="phone", user=w.u
    ),
    "opportunity of a communication": lambda w: crm_api.create_communication(
        opportunity_id=w.foreign.deal.id, type="phone", user=w.u
    ),
    "opportunity": lambda w: crm_api.move_opportunity(w.foreign.deal.id, stage="won", user=w.u),
    "opportunity of a quote": lambda w: new_quote(w.u, w.foreign.deal),
    "quote": lambda w: crm_api.submit_quote(w.foreign.quote.id, user=w.u),
    "quote of an order": lambda w: crm_api.create_order(quote_id=w.foreign.quote.id, user=w.u),
    "customer of an order": lambda w: crm_api.create_order(
        quote_id=w.approved.id, customer_id=w.foreign.customer.id, user=w.u
    ),
    "order": lambda w: crm_api.submit_order(w.foreign.order.id, user=w.u),
    "order to cancel": lambda w: crm_api.cancel_order(order_id=w.foreign.order.id, user=w.u),
}

FORBIDDEN = {
    "salesperson approves a quote": lambda w: crm_api.approve_quote(w.pending.id, user=w.u),
    "salesperson approves an order": lambda w: crm_api.approve_order(w.pending_order.id, user=w.u),
    "salesperson rejects an order": lambda w: crm_api.reject_order(
        w.pending_order.id, reason="No", user=w.u
    ),
    "manager approves own quote": lambda w: crm_api.approve_quote(
        w.managers_quote.id, user=w.manager
    ),
    "salesperson confirms an order": lambda w: crm_api.create_order(
        quote_id=w.approved.id, status="confirmed", user=w.u
    ),
    "salesperson creates a teammate's customer": lambda w: crm_api.create_customer(
        name="X", owner=w.foreign.customer.owner, user=w.u
    ),
    "anonymous user": lambda w: crm_api.submit_quote(w.draft.id, user=AnonymousUser()),
    "inactive user": lambda w: crm_api.submit_quote(
        w.draft.id, user=SalespersonFactory(is_active=False)
    ),
}


def _message(error) -> str:
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


@pytest.mark.parametrize("call", INVALID.values(), ids=INVALID.keys())
def test_bad_call_raises_validation_error_and_changes_nothing(world, call):
    with nothing_changes(), pytest.raises(ValidationError) as error:
        call(world)

    assert _message(error.value).strip()


@pytest.mark.parametrize("call", FOREIGN.values(), ids=FOREIGN.keys())
def test_teammates_record_is_not_found_and_not_leaked(world, call):
    with nothing_changes(), pytest.raises(ValidationError) as error:
        call(world)

    message = _message(error.value)
    assert "was found" in message
    assert "Secret Teammate" not in message


@pytest.mark.parametrize("call", FORBIDDEN.values(), ids=FORBIDDEN.keys())
def test_forbidden_call_raises_permission_denied_and_changes_nothing(world, call):
    with nothing_changes(), pytest.raises(PermissionDenied) as error:
        call(world)

    assert str(error.value).strip()


def test_messages_name_the_problem(world):
    cases = [
        (lambda: crm_api.submit_quote(world.draft.id, force=1, user=world.u), "force"),
        (lambda: crm_api.submit_quote(10**9, user=world.u), "No quote with id 1000000000"),
        (lambda: crm_api.submit_quote("abc", user=world.u), "whole number"),
        (lambda: crm_api.submit_quote(world.draft.id, user=None), "user="),
        (lambda: new_quote(world.u, world.deal, amount=None), "amount="),
    ]
    for call, expected in cases:
        with pytest.raises(ValidationError) as error:
            call()
        assert expected in _message(error.value)
