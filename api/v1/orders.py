"""/api/v1/orders: orders with their lines and every step of approval and fulfilment,
through orders.services."""

from datetime import datetime
from decimal import Decimal

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
from api.v1.quotes import LineOut
from api.v1.steps import add_step
from orders import services
from orders.filters import OrderFilter
from orders.models import Order

router = Router(tags=["orders"])


class OrderOut(Schema):
    model_config = ex.examples(ex.ORDER)

    id: int
    number: str
    customer_id: int
    quote_id: int
    status: str
    total: Decimal
    notes: str
    created_by_id: int
    submitted_by_id: int | None
    submitted_at: datetime | None
    decided_by_id: int | None
    decided_at: datetime | None
    decision_reason: str
    confirmed_at: datetime | None
    fulfilled_at: datetime | None
    completed_at: datetime | None
    cancelled_at: datetime | None
    lines: list[LineOut]
    created_at: datetime
    updated_at: datetime


class OrderPage(Page):
    model_config = ex.page_of(ex.ORDER)

    items: list[OrderOut]


class OrderCreate(InputSchema):
    model_config = ex.examples(ex.ORDER_CREATE)

    quote_id: int = Field(..., ge=1, le=2**63 - 1)
    customer_id: int | None = Field(None, description="When given, the quote's customer.")
    status: str = Field(
        "draft", description="draft, pending_approval, or confirmed (sales managers only)."
    )
    notes: str = Field("", max_length=5000)


class OrderUpdate(InputSchema):
    model_config = ex.examples(ex.ORDER_UPDATE)

    notes: str = Field(..., max_length=5000)


def orders():
    return Order.objects.prefetch_related("lines")


def read(user, pk: int) -> Order:
    return visible(orders(), user, pk)


@router.get("/", response={200: OrderPage, **RECORD_PROBLEMS}, openapi_extra=list_docs(OrderFilter))
def list_orders(request, limit: Limit = DEFAULT_LIMIT, cursor: str | None = None):
    """The orders you may see, filtered and sorted as on the Orders page."""
    page = cursor_page(
        request,
        Order.objects.all(),
        OrderFilter,
        limit=limit,
        cursor=cursor,
        fields=list_columns(OrderOut),
    )
    attach_related(page["items"], Order, "lines", LineOut)
    return page_response(request, page, OrderOut)


@router.post("/", response={201: OrderOut, **STEP_PROBLEMS}, openapi_extra=post_docs())
@idempotent
def create_order(request, payload: OrderCreate):
    """The order of an approved, sent or accepted quote (which becomes accepted), with its
    lines; at most one per quote."""
    order = services.create_order(by=request.user, **payload.dict())
    return 201, OrderOut.from_orm(read(request.user, order.pk))


@router.get("/{id}", response={200: OrderOut, **RECORD_PROBLEMS})
def get_order(request, id: RecordId):
    return read(request.user, id)


@router.patch("/{id}", response={200: OrderOut, **STEP_PROBLEMS})
def update_order(request, id: RecordId, payload: OrderUpdate):
    """Change the notes of an order still a draft or pending approval."""
    services.update_order(order_id=id, by=request.user, notes=payload.notes)
    return read(request.user, id)


def _step(name: str, service, body, doc: str):
    add_step(
        router,
        name=name,
        service=service,
        body=body,
        doc=doc,
        record="order",
        schema=OrderOut,
        read=read,
    )


_step("submit", services.submit_order, None, "Ask a manager to approve a draft order.")
_step(
    "approve",
    services.approve_order,
    NoteIn,
    "Confirm an order pending approval (sales managers; nobody approves their own).",
)
_step("reject", services.reject_order, ReasonIn, "Reject an order pending approval, with a reason.")
_step("fulfil", services.fulfil_order, NoteIn, "Record that a confirmed order was delivered.")
_step("complete", services.complete_order, NoteIn, "Close a fulfilled order as completed.")
_step("cancel", services.cancel_order, NoteIn, "Cancel an order that is still open.")
