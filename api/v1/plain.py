"""List pages answered without ninja's check of every value on the way out, and without
model objects.

ninja validates a response against its schema through a getter object per record and per
field, in Python: for a page of 50 customers with their contacts and tags that was more
than half of the request's time, and making the model objects of a page was most of what
reading it took (3 of 4 ms for 50 quotes). A list's rows come from our own columns, whose
values already have the schema's types, so a list reads exactly the columns of its output
schema as values (`list_columns`), and a page is written here as the same values ninja
would hand its JSON renderer: each field of the schema from its column, or as the schema's
``list_values`` says for a field whose ``resolve_<field>`` makes it from a record (the
record's own endpoint), nested schemas from rows attached to the page, written as ninja's
renderer writes them. tests/api/test_plain_lists.py holds every list's items equal to the
record's own endpoint's answer, which ninja does validate, and schemathesis checks the lists
against the schema."""

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


def is_set(value) -> bool:
    """Whether a nullable column holds a value (``archived`` from ``archived_at``)."""
    return value is not None


@cache
def list_columns(schema: type[Schema]) -> tuple[str, ...]:
    """The lookup paths a list reads for ``schema``: each field's own column, or what the
    schema's ``list_values`` names for a field its resolver makes from a record. Fields
    with a resolver or a nested schema and no ``list_values`` are attached to the page's
    rows (`attach`, `attach_related`) under their own name."""
    return tuple(dict.fromkeys(path for _name, path, _get in _readings(schema) if path))


def attach_related(page: list[dict], model, relation: str, schema: type[Schema]) -> None:
    """Give each row of a list page of ``model`` the rows of its reverse foreign key
    ``relation`` ("contacts", "lines") as ``schema``'s values: one query for the page, in
    the related model's order, and no model objects."""
    if not page:
        return
    rel = model._meta.get_field(relation)
    key = rel.field.attname
    rows = rel.related_model._default_manager.filter(
        **{f"{key}__in": [row["id"] for row in page]}
    ).values(key, *schema.model_fields)
    grouped = defaultdict(list)
    for row in rows:
        grouped[row.pop(key)].append(row)
    attach(page, relation, grouped)


def attach(page: list[dict], relation: str, grouped: dict) -> None:
    """Give each row of a list page its values of ``relation`` from ``grouped`` (row's id
    -> list, none for a missing key)."""
    for row in page:
        row[relation] = grouped.get(row["id"], [])


@cache
def _readings(schema: type[Schema]) -> list[tuple[str, str | None, typing.Callable]]:
    """(field name, column path or None when attached, getter of the value from a row)."""
    listed = getattr(schema, "list_values", {})
    readings = []
    for name, field in schema.model_fields.items():
        nested = _nested_schema(field.annotation)
        source = listed.get(name)
        if source is None:
            attached = nested is not None or hasattr(schema, f"resolve_{name}")
            path, then = (None if attached else name), None
            get = operator.itemgetter(name)
        else:
            path, then = (source, None) if isinstance(source, str) else source
            get = operator.itemgetter(path)
        if then is not None:
            get = _then(get, then)
        if nested is not None:
            get = _each(get, _converter(nested))
        readings.append((name, path, get))
    return readings


@cache
def _converter(schema: type[Schema]):
    """A function giving a row's values (by lookup path, and attached relations by name)
    under ``schema``'s field names, in its order."""
    getters = [(name, get) for name, _path, get in _readings(schema)]

    def convert(row: dict) -> dict:
        return {name: get(row) for name, get in getters}

    return convert


def _then(get, then):
    return lambda row: then(get(row))


def _each(get, convert):
    def nested(row):
        value = get(row)
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
