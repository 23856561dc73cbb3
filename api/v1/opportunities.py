"""/api/v1/opportunities: deals and their stage moves, through opportunities.services."""

from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

from ninja import Field, Router, Schema

from api.v1 import examples as ex
from api.v1.common import (
    DEFAULT_LIMIT,
    RECORD_PROBLEMS,
    STEP_PROBLEMS,
    InputSchema,
    Limit,
    RecordId,
    list_docs,
    post_docs,
    visible,
)
from api.v1.idempotency import idempotent
from api.v1.lists import Page, cursor_page
from api.v1.plain import list_columns, page_response
from opportunities import services
from opportunities.filters import OpportunityFilter
from opportunities.models import Opportunity
from opportunities.stages import Stage

router = Router(tags=["opportunities"])
Money = Decimal


class OpportunityOut(Schema):
    model_config = ex.examples(ex.OPPORTUNITY)

    id: int
    customer_id: int
    customer: str = Field(..., description="The customer's name.")
    name: str
    amount: Money
    stage: str
    probability: int
    weighted_amount: Money
    expected_close_date: date | None
    owner_id: int
    next_step: str
    description: str
    lost_reason: str
    closed_at: datetime | None
    created_at: datetime
    updated_at: datetime

    #: The resolved field as a list reads it, from values (api.v1.plain).
    list_values: ClassVar = {"customer": "customer__name"}

    @staticmethod
    def resolve_customer(opportunity):
        return opportunity.customer.name


class OpportunityPage(Page):
    model_config = ex.page_of(ex.OPPORTUNITY)

    items: list[OpportunityOut]


class OpportunityUpdate(InputSchema):
    model_config = ex.examples(ex.OPPORTUNITY_UPDATE)

    name: str | None = Field(None, min_length=1, max_length=200)
    amount: Money | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    probability: int | None = Field(None, ge=0, le=100)
    expected_close_date: date | None = None
    next_step: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=5000)


class OpportunityCreate(OpportunityUpdate):
    model_config = ex.examples(ex.OPPORTUNITY_CREATE)

    customer_id: int = Field(..., ge=1, le=2**63 - 1)
    amount: Money = Field(Decimal("0"), ge=0, max_digits=14, decimal_places=2)
    stage: str = Field(Stage.PROSPECTING, description="An open stage.")


class MoveIn(InputSchema):
    model_config = ex.examples(ex.MOVE, {"stage": "proposal"})

    stage: str = Field(..., description="The stage to move to (lost needs `note`, the reason).")
    note: str = Field("", max_length=2000)


def opportunities():
    return Opportunity.objects.select_related("customer")


def read(user, pk: int) -> Opportunity:
    return visible(opportunities(), user, pk)


def _values(payload) -> dict:
    return {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}


@router.get(
    "/",
    response={200: OpportunityPage, **RECORD_PROBLEMS},
    openapi_extra=list_docs(OpportunityFilter),
)
def list_opportunities(request, limit: Limit = DEFAULT_LIMIT, cursor: str | None = None):
    """The deals you may see, filtered and sorted as on the Opportunities page."""
    page = cursor_page(
        request,
        Opportunity.objects.all(),
        OpportunityFilter,
        limit=limit,
        cursor=cursor,
        fields=list_columns(OpportunityOut),
    )
    return page_response(request, page, OpportunityOut)


@router.post("/", response={201: OpportunityOut, **RECORD_PROBLEMS}, openapi_extra=post_docs())
@idempotent
def create_opportunity(request, payload: OpportunityCreate):
    """A deal on one of your current customers, in an open stage (default prospecting); the
    probability comes from the stage unless given."""
    values = _values(payload)
    opportunity = services.create_opportunity(by=request.user, **values)
    return 201, OpportunityOut.from_orm(read(request.user, opportunity.pk))


@router.get("/{id}", response={200: OpportunityOut, **RECORD_PROBLEMS})
def get_opportunity(request, id: RecordId):
    return read(request.user, id)


@router.patch("/{id}", response={200: OpportunityOut, **RECORD_PROBLEMS})
def update_opportunity(request, id: RecordId, payload: OpportunityUpdate):
    """Change the given details; the stage moves through `POST .../move`."""
    services.update_opportunity(opportunity_id=id, by=request.user, **_values(payload))
    return read(request.user, id)


@router.post(
    "/{id}/move", response={200: OpportunityOut, **STEP_PROBLEMS}, openapi_extra=post_docs()
)
@idempotent
def move_opportunity(request, id: RecordId, payload: MoveIn):
    """Move the deal to `stage`: among the open stages, to won, to lost (with the reason in
    `note`), or from lost back to an open stage. Recorded with who, when and the note."""
    services.change_stage(opportunity_id=id, by=request.user, to=payload.stage, note=payload.note)
    return 200, OpportunityOut.from_orm(read(request.user, id))
