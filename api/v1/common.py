"""Pieces every resource of the HTTP API shares: ids in paths, the bodies of workflow
steps, reading one visible record, and the documentation of POSTs and lists."""

from typing import Annotated

from django.utils.translation import gettext
from ninja import Field, Path, Query, Schema
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from api.v1 import examples as ex
from api.v1.idempotency import OPENAPI_PARAMETER
from api.v1.lists import DEFAULT_LIMIT, MAX_LIMIT, list_parameters
from api.v1.problems import not_found

MAX_ID = 2**63 - 1
#: A record id in a path: a positive 64-bit number (anything else cannot name a record).
RecordId = Annotated[int, Path(ge=1, le=MAX_ID)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page (at most 200).")]


class InputSchema(Schema):
    """A request body. Its text may not hold NUL characters, which PostgreSQL cannot store:
    refused here with the field named (as Django's form fields do), never a failed save."""

    @field_validator("*", mode="after")
    @classmethod
    def no_null_characters(cls, value):
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and "\x00" in text for text in texts):
            raise PydanticCustomError(
                "null_characters", gettext("Null characters are not allowed.")
            )
        return value


class NoteIn(InputSchema):
    model_config = ex.examples(ex.NOTE)

    note: str = Field("", max_length=2000, description="Recorded with the step (optional).")


class ReasonIn(InputSchema):
    model_config = ex.examples(ex.REASON)

    reason: str = Field(..., max_length=2000, description="Why; the salesperson reads it.")


class ProblemOut(Schema):
    model_config = ex.examples(ex.PROBLEM)

    type: str
    title: str
    status: int
    detail: str
    errors: dict[str, list[str]] | None = None


#: The problems any endpoint may answer with, for the OpenAPI document.
PROBLEMS = {401: ProblemOut, 403: ProblemOut, 422: ProblemOut, 429: ProblemOut}
RECORD_PROBLEMS = {**PROBLEMS, 404: ProblemOut}
STEP_PROBLEMS = {**RECORD_PROBLEMS, 409: ProblemOut}


def post_docs() -> dict:
    return {"parameters": [OPENAPI_PARAMETER]}


def list_docs(filterset_class) -> dict:
    return {"parameters": list_parameters(filterset_class)}


def visible(queryset, user, pk: int):
    """Record ``pk`` among those ``user`` may see, or a 404 problem."""
    record = queryset.visible_to(user).filter(pk=pk).first()
    if record is None:
        raise not_found()
    return record


__all__ = ["DEFAULT_LIMIT", "Limit", "RecordId"]
