"""List pages answered without ninja's check of every value on the way out.

ninja validates a response against its schema through a getter object per record and per
field, in Python: for a page of 50 customers with their contacts and tags that was more
than half of the request's time. A list's records come from our own models, whose values
already have the schema's types, so a page is written here as the same values ninja would
hand its JSON renderer: each field of the output schema read from the record (through the
schema's ``resolve_<field>`` where it has one, nested schemas in turn), written as ninja's
renderer writes them. tests/api/test_plain_lists.py holds every list's items equal to the
record's own endpoint's answer, which ninja does validate, and schemathesis checks the lists
against the schema.
"""

import datetime
import decimal
import json
import operator
import types
import typing
from collections import defaultdict
from functools import cache

from django.http import HttpResponse
from ninja import Schema
from ninja.renderers import JSONRenderer

_renderer = JSONRenderer()


def _datetime(value: datetime.datetime) -> str:
    # Django's JSON encoder's form (which ninja's renderer uses): milliseconds, UTC as "Z".
    text = value.isoformat()
    if value.microsecond:
        text = text[:23] + text[26:]
    return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text


#: The types a page holds beyond JSON's own, by exact type: ninja's encoder asks a chain of
#: isinstance questions per value (some 1,500 values on a page of orders with their lines).
_PLAIN_FORMS = {
    decimal.Decimal: str,
    datetime.datetime: _datetime,
    datetime.date: datetime.date.isoformat,
}


class _PageEncoder(_renderer.encoder_class):
    def default(self, o):
        form = _PLAIN_FORMS.get(type(o))
        return form(o) if form is not None else super().default(o)


def page_response(request, page: dict, item_schema: type[Schema]) -> HttpResponse:
    """The answer of a list: ``page`` is cursor_page's ``{"items": [...], "next": ...}``."""
    convert = _converter(item_schema)
    data = {"items": [convert(item) for item in page["items"]], "next": page["next"]}
    content = json.dumps(data, cls=_PageEncoder, **_renderer.json_dumps_params)
    return HttpResponse(content, content_type=_renderer.media_type)


def attach_related(page: list, relation: str, schema: type[Schema]) -> None:
    """Give each record of a list page the rows of its reverse foreign key ``relation``
    ("contacts", "lines") as ``schema``'s values: one query for the page, in the related
    model's order, and no model objects (making them was the most of a list request's time).
    `related` hands them to the schema's resolver."""
    if not page:
        return
    rel = type(page[0])._meta.get_field(relation)
    key = rel.field.attname
    rows = rel.related_model._default_manager.filter(
        **{f"{key}__in": [record.pk for record in page]}
    ).values(key, *schema.model_fields)
    grouped = defaultdict(list)
    for row in rows:
        grouped[row.pop(key)].append(row)
    attach(page, relation, grouped)


def attach(page: list, relation: str, grouped: dict) -> None:
    """Give each record of a list page its values of ``relation`` from ``grouped`` (record's
    pk -> list, none for a missing key), for `related` to hand out."""
    for record in page:
        record.__dict__[f"listed_{relation}"] = grouped.get(record.pk, [])


def related(record, relation: str, otherwise=None) -> list:
    """What `attach` gave ``record`` for ``relation``; else ``otherwise(record)``, by default
    the related objects (a single record's endpoint)."""
    attached = record.__dict__.get(f"listed_{relation}")
    if attached is not None:
        return attached
    return otherwise(record) if otherwise else list(getattr(record, relation).all())


@cache
def _converter(schema: type[Schema]):
    """A function giving a record's values under ``schema``'s field names."""
    getters = []
    for name, field in schema.model_fields.items():
        resolver = getattr(schema, f"resolve_{name}", None)
        get = resolver if resolver is not None else operator.attrgetter(name)
        nested = _nested_schema(field.annotation)
        if nested is not None:
            get = _each(get, _converter(nested))
        getters.append((name, get))

    def convert(record) -> dict:
        if isinstance(record, dict):  # the values of a query (.values()), named as here
            return {name: record[name] for name in schema.model_fields}
        return {name: get(record) for name, get in getters}

    return convert


def _each(get, convert):
    def nested(record):
        value = get(record)
        return None if value is None else [convert(each) for each in value]

    return nested


def _nested_schema(annotation) -> type[Schema] | None:
    """The schema of a ``list[Schema]`` field (None for any other)."""
    if typing.get_origin(annotation) is list:
        (inner,) = typing.get_args(annotation)
        if isinstance(inner, type) and issubclass(inner, Schema):
            return inner
    if isinstance(annotation, type) and issubclass(annotation, Schema):
        raise TypeError(f"{annotation.__name__}: a single nested schema is not handled")
    if isinstance(annotation, types.UnionType) and any(
        isinstance(arg, type) and issubclass(arg, Schema) for arg in typing.get_args(annotation)
    ):
        raise TypeError(f"{annotation}: an optional nested schema is not handled")
    return None
