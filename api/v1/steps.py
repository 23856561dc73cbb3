"""Workflow steps as ``POST /<resource>/{id}/<step>``: one way for every resource whose
service takes the record's id, the acting user and, for some steps, a note or a reason."""

from api.v1.common import STEP_PROBLEMS, NoteIn, ReasonIn, RecordId, post_docs
from api.v1.idempotency import idempotent


def add_step(router, *, name: str, service, body, doc: str, record: str, schema, read):
    """Route ``POST /{id}/<name>`` on ``router`` to ``service(<record>_id=, by=, ...)``:
    ``body`` is None (no body), ``ReasonIn`` (a required reason) or ``NoteIn`` (an optional
    note); the answer is the record as ``schema`` shows it, read again by ``read(user, id)``."""
    id_keyword = f"{record}_id"

    if body is None:

        def step(request, id: RecordId):
            service(**{id_keyword: id}, by=request.user)
            return 200, schema.from_orm(read(request.user, id))

    elif body is ReasonIn:

        def step(request, id: RecordId, payload: ReasonIn):
            service(**{id_keyword: id}, by=request.user, reason=payload.reason)
            return 200, schema.from_orm(read(request.user, id))

    else:

        def step(request, id: RecordId, payload: NoteIn | None = None):
            note = payload.note if payload else ""
            service(**{id_keyword: id}, by=request.user, note=note)
            return 200, schema.from_orm(read(request.user, id))

    step.__name__ = f"{name}_{record}"
    step.__doc__ = doc
    router.post(
        f"/{{id}}/{name}", response={200: schema, **STEP_PROBLEMS}, openapi_extra=post_docs()
    )(idempotent(step))
