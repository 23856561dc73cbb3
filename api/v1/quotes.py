"""/api/v1/quotes: quotes with their lines and every step of their approval, through
quotes.services."""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from api.v1 import examples as ex
from api.v1.common import (
    DEFAULT_LIMIT,
    RECORD_PROBLEMS,
    STEP_PROBLEMS,
    InputSchema,
    Limit,
    NoteIn,
    ReasonIn,
    RecordId,
    list_docs,
    post_docs,
    visible,
)
from api.v1.idempotency import idempotent
from api.v1.lists import Page, cursor_page
from api.v1.plain import attach_related, list_columns, page_response
from api.v1.steps import add_step
from opportunities.models import Opportunity
from quotes import services
from quotes.filters import QuoteFilter
from quotes.models import Quote

router = Router(tags=["quotes"])
MONEY = {"ge": 0, "max_digits": 14, "decimal_places": 2}


class LineOut(Schema):
    model_config = ex.examples(ex.LINE)

    position: int
    product_id: int | None
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    discount_percent: Decimal
    tax_rate: Decimal
    net_amount: Decimal
    tax_amount: Decimal
    line_total: Decimal = Field(..., description="What the customer pays: net + tax.")


class QuoteOut(Schema):
    model_config = ex.examples(ex.QUOTE)

    id: int
    number: str
    revision: int = Field(description="1 for the original; n for `<number>-R<n>`.")
    previous_revision_id: int | None = Field(
        description="The revision this one replaced (that one is now `superseded`)."
    )
    original_id: int | None = Field(description="Revision 1 of this quote (null on it).")
    opportunity_id: int
    customer_id: int
    status: str
    valid_until: date
    terms: str
    notes: str
    subtotal: Decimal
    discount_total: Decimal
    net_total: Decimal
    tax_total: Decimal
    total: Decimal = Field(..., description="What the customer pays: net + tax.")
    prices_include_tax: bool
    created_by_id: int
    submitted_by_id: int | None
    submitted_at: datetime | None
    decided_by_id: int | None
    decided_at: datetime | None
    decision_reason: str
    auto_approved_by_rule: str
    required_by_rule: str
    sent_at: datetime | None
    closed_at: datetime | None
    customer_answered_at: datetime | None = Field(
        description="When the customer accepted or declined on their link (null otherwise)."
    )
    customer_name: str = Field(description="The name the customer typed to accept online.")
    customer_reason: str = Field(description="Why the customer declined online.")
    lines: list[LineOut]
    created_at: datetime
    updated_at: datetime


class QuotePage(Page):
    model_config = ex.page_of(ex.QUOTE)

    items: list[QuoteOut]


class LineIn(InputSchema):
    model_config = ex.examples(ex.LINE_IN)

    product_id: int | None = Field(
        None,
        ge=1,
        le=2**63 - 1,
        description="A catalogue product: its name, unit, list price and tax rate fill "
        "what the line leaves out.",
    )
    description: str | None = Field(None, min_length=1, max_length=300)
    quantity: Decimal = Field(Decimal("1"), gt=0, max_digits=12, decimal_places=2)
    unit: str | None = Field(None, max_length=20)
    unit_price: Decimal | None = Field(None, **MONEY)
    discount_percent: Decimal = Field(Decimal("0"), ge=0, le=100, max_digits=5, decimal_places=2)
    tax_rate: Decimal | None = Field(None, ge=0, le=100, max_digits=5, decimal_places=2)

    def line(self) -> dict:
        """The line as quotes.services takes it."""
        values = self.dict()
        values["product"] = values.pop("product_id")
        return values


class QuoteUpdate(InputSchema):
    model_config = ex.examples(ex.QUOTE_UPDATE)

    valid_until: date | None = None
    terms: str | None = Field(None, max_length=10000)
    notes: str | None = Field(None, max_length=10000)
    lines: list[LineIn] | None = Field(None, min_length=1, max_length=500)


class QuoteCreate(QuoteUpdate):
    model_config = ex.examples(ex.QUOTE_CREATE, ex.QUOTE_CREATE_LINES)

    opportunity_id: int = Field(..., ge=1, le=2**63 - 1)
    valid_until: date
    amount: Decimal | None = Field(
        None, **MONEY, description="Instead of `lines`: one line, the deal's name, quantity 1."
    )


def quotes():
    return Quote.objects.prefetch_related("lines")


def read(user, pk: int) -> Quote:
    return visible(quotes(), user, pk)


def _lines(user, payload: QuoteCreate) -> list[dict]:
    if payload.lines is not None and payload.amount is not None:
        raise _one_of()
    if payload.lines is not None:
        return [line.line() for line in payload.lines]
    if payload.amount is None:
        raise _one_of()
    opportunity = Opportunity.objects.visible_to(user).filter(pk=payload.opportunity_id).first()
    name = opportunity.name if opportunity else ""  # the service refuses an unseen deal
    return [{"description": name, "quantity": Decimal(1), "unit_price": payload.amount}]


def _one_of():
    return ValidationError({"lines": _("Give either amount (one line) or lines, not both.")})


@router.get("/", response={200: QuotePage, **RECORD_PROBLEMS}, openapi_extra=list_docs(QuoteFilter))
def list_quotes(request, limit: Limit = DEFAULT_LIMIT, cursor: str | None = None):
    """The quotes you may see, filtered and sorted as on the Quotes page."""
    page = cursor_page(
        request,
        Quote.objects.all(),
        QuoteFilter,
        limit=limit,
        cursor=cursor,
        fields=list_columns(QuoteOut),
    )
    attach_related(page["items"], Quote, "lines", LineOut)
    return page_response(request, page, QuoteOut)


@router.post("/", response={201: QuoteOut, **RECORD_PROBLEMS}, openapi_extra=post_docs())
@idempotent
def create_quote(request, payload: QuoteCreate):
    """A draft quote with a new number for a deal you may see: its `lines`, or an `amount`
    that makes one line. Totals follow the lines."""
    quote = services.create_quote(
        by=request.user,
        opportunity_id=payload.opportunity_id,
        valid_until=payload.valid_until,
        lines=_lines(request.user, payload),
        terms=payload.terms or "",
        notes=payload.notes or "",
    )
    return 201, QuoteOut.from_orm(read(request.user, quote.pk))


@router.get("/{id}", response={200: QuoteOut, **RECORD_PROBLEMS})
def get_quote(request, id: RecordId):
    return read(request.user, id)


@router.patch("/{id}", response={200: QuoteOut, **STEP_PROBLEMS})
def update_quote(request, id: RecordId, payload: QuoteUpdate):
    """Change a draft: valid-until, terms, notes, and (when given) all its lines."""
    values = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    if payload.lines is not None:
        values["lines"] = [line.line() for line in payload.lines]
    services.update_quote(quote_id=id, by=request.user, **values)
    return read(request.user, id)


def _step(name: str, service, body, doc: str):
    add_step(
        router,
        name=name,
        service=service,
        body=body,
        doc=doc,
        record="quote",
        schema=QuoteOut,
        read=read,
    )


_step("submit", services.submit_quote, None, "Send a draft for approval.")
_step(
    "approve",
    services.approve_quote,
    NoteIn,
    "Approve a quote pending approval (sales managers; nobody approves their own).",
)
_step("reject", services.reject_quote, ReasonIn, "Reject a quote pending approval, with a reason.")


@router.post("/{id}/revise", response={200: QuoteOut, **STEP_PROBLEMS}, openapi_extra=post_docs())
@idempotent
def revise_quote(request, id: RecordId, payload: NoteIn | None = None):
    """Revise a quote; the answer is the draft to change and submit again. A rejected quote
    goes back to draft (the same `id`). An approved, sent, declined or expired one keeps its
    terms: a new revision is made (another `id`, number `<number>-R<n>`, lines copied, needing
    approval again) and this one becomes `superseded`; its customer link says so."""
    revised = services.revise_quote(
        quote_id=id, by=request.user, note=payload.note if payload else ""
    )
    return 200, QuoteOut.from_orm(read(request.user, revised.pk))


_step("send", services.send_quote, NoteIn, "Record that an approved quote went to the customer.")
_step("accept", services.accept_quote, NoteIn, "Record that the customer accepted the quote.")
_step("decline", services.decline_quote, NoteIn, "Record that the customer declined a sent quote.")
_step("cancel", services.cancel_quote, NoteIn, "Cancel a quote that is still open.")
