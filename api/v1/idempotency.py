"""``Idempotency-Key`` on every POST: a retried request gets the first answer again.

``@idempotent`` wraps a POST endpoint that returns ``(status, schema object)``. It runs the
endpoint in one transaction and answers with JSON. With a key, the transaction first
inserts the key's row (unique per user and key): a concurrent request with the same key
waits on that insert until the first one ends. Then

- the first one committed: the second finds its row and answers with the stored status and
  body (``Idempotent-Replayed: true``), changing nothing; with another method, path or body
  it is refused (422) instead;
- the first one failed: its row went with its rollback, so nothing was stored or changed,
  and the second runs as if it were the first. Only successful answers are remembered: a
  refused request may be sent again with the same key once its cause is fixed.

A key is remembered for ``CRM_API_IDEMPOTENCY_HOURS`` (24): an older row is replaced.
"""

import functools
import hashlib
import json
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.responses import NinjaJSONEncoder

from api.models import IdempotencyKey
from api.v1.problems import Problem

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
#: For the OpenAPI document of every POST.
OPENAPI_PARAMETER = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "schema": {"type": "string", "maxLength": MAX_KEY_LENGTH},
    "description": "A key of your choice (e.g. a UUID): sending the same request again with "
    "the same key within 24 h returns the first response and changes nothing.",
}


def fingerprint(request) -> str:
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.get_full_path().encode(), request.body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def json_response(status: int, data) -> HttpResponse:
    payload = data.model_dump(by_alias=True) if hasattr(data, "model_dump") else data
    body = json.dumps(payload, cls=NinjaJSONEncoder, ensure_ascii=False)
    return HttpResponse(body, status=status, content_type="application/json")


def _replay(record: IdempotencyKey) -> HttpResponse:
    response = HttpResponse(record.body, status=record.status, content_type="application/json")
    response["Idempotent-Replayed"] = "true"
    return response


def _key(request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not key.strip() or len(key) > MAX_KEY_LENGTH or "\x00" in key:
        raise Problem(
            422,
            "invalid",
            _("Invalid input"),
            _("An Idempotency-Key is 1 to %(max)d characters long.") % {"max": MAX_KEY_LENGTH},
            errors={HEADER: [_("Give 1 to %(max)d characters.") % {"max": MAX_KEY_LENGTH}]},
        )
    return key


def purge_expired() -> int:
    """Delete the keys older than ``CRM_API_IDEMPOTENCY_HOURS`` (run by the background
    worker's sweep and ``manage.py purge_idempotency_keys``); how many went."""
    expired = timezone.now() - timedelta(hours=settings.CRM_API_IDEMPOTENCY_HOURS)
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=expired).delete()
    return deleted


def _claim(request, key: str) -> IdempotencyKey | HttpResponse:
    """Insert the key's row (inside the caller's transaction), or the answer to a request
    that already used the key."""
    user, digest = request.user, fingerprint(request)
    expired = timezone.now() - timedelta(hours=settings.CRM_API_IDEMPOTENCY_HOURS)
    IdempotencyKey.objects.filter(user=user, key=key, created_at__lt=expired).delete()
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(user=user, key=key, fingerprint=digest)
    except IntegrityError:
        pass  # another request took the key and has committed by now
    record = IdempotencyKey.objects.get(user=user, key=key)
    if record.fingerprint != digest:
        raise Problem(
            422,
            "idempotency-key-reused",
            _("Idempotency key reused"),
            _("This Idempotency-Key was already used for another request; use a new key."),
            errors={HEADER: [_("Already used for another request.")]},
        )
    return _replay(record)


def idempotent(endpoint):
    """Run a POST ``endpoint`` (returning ``(status, data)``) in one transaction, once per
    ``Idempotency-Key``; answer with JSON."""

    @functools.wraps(endpoint)
    def wrapper(request, *args, **kwargs):
        key = _key(request)
        with transaction.atomic():
            record = _claim(request, key) if key is not None else None
            if isinstance(record, HttpResponse):
                return record
            status, data = endpoint(request, *args, **kwargs)
            response = json_response(status, data)
            if record is not None:
                record.status, record.body = status, response.content.decode()
                record.save(update_fields=["status", "body"])
        return response

    return wrapper
