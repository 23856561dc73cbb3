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

from django.db import connection
from django.db.models import F, TextField
from django.db.models.functions import Cast
from django.http import HttpResponse
from ninja import Schema
from ninja.renderers import JSONRenderer

from crm.lookups import AnyOf

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


def list_columns(schema: type[Schema]) -> dict[str, str | Cast]:
    """What a list reads for ``schema``, by lookup path: each field's own column, or what
    the schema's ``list_values`` names for a field its resolver makes from a record. Fields
    with a resolver or a nested schema and no ``list_values`` are attached to the page's
    rows (`attach`, `attach_related`) under their own name.

    A decimal column is read as PostgreSQL writes it, which is how the JSON writes a
    Decimal (a numeric(p, s) column's digits, its s decimals): no Decimal object to make
    and write back out, some 2,000 on a page of quotes with their lines. Not on SQLite (the
    demo), which writes 1234.50 as 1234.5."""
    return _columns(schema, connection.vendor == "postgresql")


@cache
def _columns(schema: type[Schema], decimals_as_text: bool) -> types.MappingProxyType:
    columns = {}
    for _name, path, _get, is_decimal in _readings(schema):
        if path is not None:
            columns[path] = Cast(path, TextField()) if is_decimal and decimals_as_text else path
    return types.MappingProxyType(columns)


def attach_related(page: list[dict], model, relation: str, schema: type[Schema]) -> None:
    """Give each row of a list page of ``model`` the rows of its reverse foreign key
    ``relation`` ("contacts", "lines") as ``schema``'s values: one query for the page, in
    the related model's order, and no model objects."""
    if not page:
        return
    rel = model._meta.get_field(relation)
    key = rel.field.attname
    columns = list_columns(schema)
    rows = rel.related_model._default_manager.filter(
        AnyOf(F(key), [row["id"] for row in page])
    ).values_list(key, *columns.values())
    grouped = defaultdict(list)
    for row_key, *values in rows:
        grouped[row_key].append(dict(zip(columns, values, strict=True)))
    attach(page, relation, grouped)


def attach(page: list[dict], relation: str, grouped: dict) -> None:
    """Give each row of a list page its values of ``relation`` from ``grouped`` (row's id
    -> list, none for a missing key)."""
    for row in page:
        row[relation] = grouped.get(row["id"], [])


@cache
def _readings(schema: type[Schema]) -> list[tuple[str, str | None, typing.Callable, bool]]:
    """(field name, column path or None when attached, getter of the value from a row,
    whether the column is read as a decimal's text)."""
    listed = getattr(schema, "list_values", {})
    readings = []
    for name, field in schema.model_fields.items():
        nested = _nested_schema(field.annotation)
        source = listed.get(name)
        if source is None:
            attached = nested is not None or hasattr(schema, f"resolve_{name}")
            path, then = (None if attached else name), None
        else:
            path, then = (source, None) if isinstance(source, str) else source
        get = operator.itemgetter(path or name)
        if then is not None:
            get = _then(get, then)
        if nested is not None:
            get = _each(get, _converter(nested))
        is_decimal = path is not None and then is None and _is_decimal(field.annotation)
        readings.append((name, path, get, is_decimal))
    return readings


def _is_decimal(annotation) -> bool:
    """``Decimal`` or ``Decimal | None``."""
    if isinstance(annotation, types.UnionType):
        return set(typing.get_args(annotation)) == {decimal.Decimal, types.NoneType}
    return annotation is decimal.Decimal


@cache
def _converter(schema: type[Schema]):
    """A function giving a row's values (by lookup path, and attached relations by name)
    under ``schema``'s field names, in its order."""
    getters = [(name, get) for name, _path, get, _decimal in _readings(schema)]

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
