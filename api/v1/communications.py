"""/api/v1/communications: calls, e-mails, meetings and their follow-ups, through
communications.services."""

from datetime import date, datetime

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
from communications import services
from communications.filters import CommunicationFilter
from communications.models import Communication

router = Router(tags=["communications"])
ID = Field(None, ge=1, le=2**63 - 1)


class CommunicationOut(Schema):
    model_config = ex.examples(ex.COMMUNICATION)

    id: int
    customer_id: int
    opportunity_id: int | None
    author_id: int
    channel: str
    direction: str
    subject: str
    content: str
    occurred_at: datetime
    follow_up_on: date | None
    follow_up_done: bool
    created_at: datetime
    updated_at: datetime


class CommunicationPage(Page):
    model_config = ex.page_of(ex.COMMUNICATION)

    items: list[CommunicationOut]


class CommunicationUpdate(InputSchema):
    model_config = ex.examples(ex.COMMUNICATION_UPDATE)

    customer_id: int | None = ID
    opportunity_id: int | None = ID
    channel: str | None = Field(None, description="phone, email, meeting, visit, message, other")
    direction: str | None = Field(None, description="inbound or outbound")
    subject: str | None = Field(None, max_length=200)
    content: str | None = Field(None, max_length=20000)
    occurred_at: datetime | None = Field(None, description="Not in the future; default now.")
    follow_up_on: date | None = Field(None, description="Puts it on your follow-up list.")


class CommunicationCreate(CommunicationUpdate):
    model_config = ex.examples(ex.COMMUNICATION_CREATE)

    channel: str = Field(..., description="phone, email, meeting, visit, message, other")
    direction: str = "outbound"


class FollowUpIn(InputSchema):
    model_config = ex.examples(ex.FOLLOW_UP)

    done: bool = True


def communications():
    return Communication.objects.all()


def read(user, pk: int) -> Communication:
    return visible(communications(), user, pk)


@router.get(
    "/",
    response={200: CommunicationPage, **RECORD_PROBLEMS},
    openapi_extra=list_docs(CommunicationFilter),
)
def list_communications(request, limit: Limit = DEFAULT_LIMIT, cursor: str | None = None):
    """The communications you may see, filtered and sorted as on the Communications page."""
    page = cursor_page(
        request,
        communications(),
        CommunicationFilter,
        limit=limit,
        cursor=cursor,
        fields=list_columns(CommunicationOut),
    )
    return page_response(request, page, CommunicationOut)


@router.post("/", response={201: CommunicationOut, **RECORD_PROBLEMS}, openapi_extra=post_docs())
@idempotent
def create_communication(request, payload: CommunicationCreate):
    """A communication you had with a customer (`customer_id`) or about a deal
    (`opportunity_id`, its customer follows); an empty subject comes from the content."""
    values = {k: v for k, v in payload.dict().items() if v is not None}
    communication = services.create_communication(by=request.user, **values)
    return 201, CommunicationOut.from_orm(read(request.user, communication.pk))


@router.get("/{id}", response={200: CommunicationOut, **RECORD_PROBLEMS})
def get_communication(request, id: RecordId):
    return read(request.user, id)


@router.patch("/{id}", response={200: CommunicationOut, **RECORD_PROBLEMS})
def update_communication(request, id: RecordId, payload: CommunicationUpdate):
    """Change the given fields (null clears the opportunity or the follow-up date)."""
    services.update_communication(
        communication_id=id, by=request.user, **payload.dict(exclude_unset=True)
    )
    return read(request.user, id)


@router.post(
    "/{id}/follow-up", response={200: CommunicationOut, **STEP_PROBLEMS}, openapi_extra=post_docs()
)
@idempotent
def mark_follow_up(request, id: RecordId, payload: FollowUpIn | None = None):
    """Mark the follow-up done (or, with `done: false`, open again)."""
    services.set_follow_up_done(
        communication_id=id, by=request.user, done=payload.done if payload else True
    )
    return 200, CommunicationOut.from_orm(read(request.user, id))
