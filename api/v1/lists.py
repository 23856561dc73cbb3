"""Lists: the list page's FilterSet, its stable sort, and cursor pagination.

A list request takes the list page's own query parameters (``q``, the filters, ``sort``)
plus ``limit`` (1-200, default 50) and ``cursor``. The answer is ``{"items": [...],
"next": cursor or null}``: ``next`` continues after the last item.

The cursor is opaque to clients: URL-safe base64 of JSON holding the sort and the last
row's sort values (its primary key last, since every sort ends in it). The next page is the
rows after that key in the sort's order (a keyset: ``WHERE (sort, id) < (...)``, written out
per column so that mixed directions and NULLs are right, with a bound on the first column
that the sort's index answers), never an OFFSET, and nothing is counted. A limit of n
reads n + 1 rows: the extra one says whether there is a next page.
"""

import base64
import binascii
import json
from functools import reduce
from operator import and_, or_

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import GeneratedField, Q
from django.utils.translation import gettext as _
from ninja import Field, Schema

from api.v1.problems import NON_FIELD, invalid
from crm.listing import build_filterset

MAX_LIMIT = 200
DEFAULT_LIMIT = 50


class Page(Schema):
    next: str | None = Field(
        None, description="Pass as ?cursor= (with the same filters) for the next page."
    )


def _field(model, path: str):
    """The model field at the end of a lookup path ("customer__name", "pk")."""
    field = None
    for part in path.split("__"):
        field = model._meta.pk if part == "pk" else model._meta.get_field(part)
        if field.is_relation and field.related_model is not None:
            model = field.related_model
    if isinstance(field, GeneratedField):
        return field.output_field
    if field.is_relation:  # "customer_id" through the relation: its key
        return field.target_field
    return field


def sort_columns(model, ordering: list[str]) -> list[tuple[str, bool, object]]:
    """(path, descending, field) of each column of the sort."""
    columns = []
    for term in ordering:
        descending = term.startswith("-")
        path = term.lstrip("-")
        try:
            field = _field(model, path)
        except FieldDoesNotExist:
            field = _field(model, path.removesuffix("_id"))
        columns.append((path, descending, field))
    return columns


def _encode(value) -> str | int | None:
    if value is None or isinstance(value, int):
        return value
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def encode_cursor(sort: str, values: list) -> str:
    raw = json.dumps({"sort": sort, "after": [_encode(value) for value in values]})
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _bad_cursor():
    return invalid({"cursor": [_("This cursor is not one this list gave; start again.")]})


def decode_cursor(cursor: str, sort: str, columns) -> list:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        values = data["after"]
        if data["sort"] != sort or not isinstance(values, list) or len(values) != len(columns):
            raise ValueError
        return [
            None if value is None else field.to_python(value)
            for value, (_path, _descending, field) in zip(values, columns, strict=True)
        ]
    except (ValueError, TypeError, KeyError, binascii.Error, ValidationError):
        raise _bad_cursor() from None


def after(columns, values) -> Q:
    """Rows after ``values`` in the sort's order; PostgreSQL puts NULLs last going up and
    first going down."""
    branches, equal = [], []
    for (path, descending, _unused), value in zip(columns, values, strict=True):
        if value is None:
            beyond = Q(**{f"{path}__isnull": False}) if descending else None
            same = Q(**{f"{path}__isnull": True})
        else:
            if descending:
                beyond = Q(**{f"{path}__lt": value})
            else:
                beyond = Q(**{f"{path}__gt": value}) | Q(**{f"{path}__isnull": True})
            same = Q(**{path: value})
        if beyond is not None:
            branches.append(reduce(and_, [*equal, beyond]) if equal else beyond)
        equal.append(same)
    condition = reduce(or_, branches) if branches else Q(pk__in=[])
    path, descending, field = columns[0]
    first = values[0]
    # The same rows, and a range on the first column for the sort's index to read from.
    if first is not None and descending:
        condition &= Q(**{f"{path}__lte": first})
    elif first is not None and not field.null:
        condition &= Q(**{f"{path}__gte": first})
    return condition


def cursor_page(
    request,
    queryset,
    filterset_class,
    *,
    limit: int,
    cursor: str | None,
    fields: dict,
) -> dict:
    """One page of the rows of ``queryset`` the user may see, filtered and sorted by
    ``filterset_class`` from the query string: ``{"items": [...], "next": ...}``, each item
    the values of ``fields`` (lookup path -> the path or an expression of it) by path.
    Values, not model objects: making the objects was most of the time a page took to
    read."""
    queryset = queryset.visible_to(request.user)
    filterset = build_filterset(filterset_class, request, queryset)
    if not filterset.is_valid():
        errors = {
            (field if field != "__all__" else NON_FIELD): [str(m) for m in messages]
            for field, messages in filterset.form.errors.items()
        }
        raise invalid(errors)
    rows = filterset.qs
    sort, ordering = filterset.sort, filterset.ordering()
    columns = sort_columns(queryset.model, ordering)
    if cursor:
        rows = rows.filter(after(columns, decode_cursor(cursor, sort, columns)))
    # The sort's values follow the fields in each row, for the next page's cursor.
    keys = [path for path, _descending, _field in columns]
    found = list(rows.values_list(*fields.values(), *keys)[: limit + 1])
    next_cursor = None
    if len(found) > limit:
        found = found[:limit]
        next_cursor = encode_cursor(sort, list(found[-1][len(fields) :]))
    return {"items": [dict(zip(fields, row, strict=False)) for row in found], "next": next_cursor}


def list_parameters(filterset_class) -> list[dict]:
    """The OpenAPI query parameters of a list: the FilterSet's filters, each typed as its
    form field reads it (the FilterSet stays the one place of the rules), and ``sort``."""
    parameters = []
    for name, list_filter in filterset_class.base_filters.items():
        schema, style = filter_schema(list_filter)
        parameter = {
            "name": name,
            "in": "query",
            "required": False,
            "schema": schema,
            "description": str(list_filter.label or name),
        }
        if style:  # a comma-separated list: ?stage=qualified,proposal
            parameter |= {"style": "form", "explode": False}
        parameters.append(parameter)
    sorts = sorted(filterset_class.sort_fields)
    parameters.append(
        {
            "name": "sort",
            "in": "query",
            "required": False,
            "schema": {"type": "string", "enum": [*sorts, *(f"-{s}" for s in sorts)]},
            "description": f"Sort key, '-' for descending (default {filterset_class.default_sort}).",
        }
    )
    return parameters


def filter_schema(list_filter) -> tuple[dict, bool]:
    """The JSON schema of one filter's value, and whether it is a comma-separated list."""
    if isinstance(list_filter, django_filters.BaseInFilter):  # ?id=3,5,8
        return {"type": "array", "items": {"type": "integer", "minimum": 1}}, True
    if isinstance(list_filter, django_filters.MultipleChoiceFilter):
        return {"type": "array", "items": _choices(list_filter)}, True
    if isinstance(list_filter, django_filters.ModelChoiceFilter):  # a user or tag, by id
        return {"type": "integer", "minimum": 1}, False
    if isinstance(list_filter, django_filters.ChoiceFilter):
        return _choices(list_filter), False
    if isinstance(list_filter, django_filters.BooleanFilter):
        return {"type": "boolean"}, False
    if isinstance(list_filter, django_filters.DateFilter):
        return {"type": "string", "format": "date"}, False
    if isinstance(list_filter, django_filters.NumberFilter):
        field_class = list_filter.field_class
        if issubclass(field_class, forms.IntegerField) and not issubclass(
            field_class, forms.DecimalField
        ):
            return {"type": "integer", "minimum": 1}, False
        return {"type": "number"}, False
    return {"type": "string"}, False


def _choices(list_filter) -> dict:
    choices = list_filter.extra.get("choices", ())
    choices = choices() if callable(choices) else choices
    return {"type": "string", "enum": [str(value) for value, _label in choices if value != ""]}
