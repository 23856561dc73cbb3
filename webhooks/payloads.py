"""The ``data`` of an event: the record as it was when the event happened, as JSON.

A model's renderer is registered by the app that knows best how the record should look::

    from webhooks import payloads

    payloads.register("quotes.Quote", lambda quote: QuoteOut.from_orm(quote).model_dump(mode="json"))

The last registration of a model wins, so an app further up (the HTTP API, which shows every
record through its schemas) replaces what an app below registered, when its ``ready()``
runs. A model nobody registered gets ``fields_of``: its id and its concrete fields, foreign
keys as ids (``owner_id``), decimals as strings, dates and times in ISO 8601, without the
internal copies and keys kept for searching and never a password, secret or token.

A renderer runs inside the transaction of the change, and only when an endpoint listens
to the event. It returns JSON-safe values (or values ``DjangoJSONEncoder`` makes so).
"""

import json
from collections.abc import Callable

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

Renderer = Callable[[models.Model], dict]

_renderers: dict[str, Renderer] = {}

#: Fields kept for searching and access, not part of what a record says.
INTERNAL_FIELDS = {
    "name_key",
    "email_key",
    "phone_normalized",
    "customer_owner",
    # The quote's customer-link key: half of a secret link (quotes.public_links).
    "public_key",
}
SECRET_WORDS = ("password", "secret", "token")


def register(model_label: str, renderer: Renderer) -> None:
    """Render records of ``model_label`` ("app_label.ModelName") with ``renderer``."""
    _renderers[model_label.lower()] = renderer


def unregister(model_label: str) -> None:
    _renderers.pop(model_label.lower(), None)


def render(instance: models.Model) -> dict:
    """The record as JSON-safe data, through its model's renderer or ``fields_of``."""
    renderer = _renderers.get(instance._meta.label_lower, fields_of)
    return json_safe(renderer(instance))


def json_safe(data):
    """Decimals as strings, dates ISO, UUIDs as text: what the payload's JSON will say."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def shown(field: models.Field) -> bool:
    name = field.name.lower()
    return name not in INTERNAL_FIELDS and not any(word in name for word in SECRET_WORDS)


def fields_of(instance: models.Model) -> dict:
    """The record's id and concrete fields (a foreign key as ``<name>_id``)."""
    data = {"id": instance.pk}
    for field in instance._meta.concrete_fields:
        if shown(field):
            data[field.attname] = field.value_from_object(instance)
    return data


def with_lines(instance: models.Model) -> dict:
    """``fields_of`` and the record's ``lines`` (quotes and orders), in order."""
    return {**fields_of(instance), "lines": [fields_of(line) for line in instance.lines.all()]}
