"""The quote's table on its own: what the database fills in for a row written without the
ORM (bench's COPY, raw SQL)."""

import pytest
from django.db import connection

from quotes.models import Quote
from tests.factories import quote_with_lines

pytestmark = pytest.mark.django_db

ANSWER_AND_REVISION = {
    "revision": 1,
    "customer_answer_seen": True,
    "customer_name": "",
    "customer_reason": "",
    "customer_user_agent": "",
}


def test_a_row_inserted_without_the_revision_and_answer_columns_gets_their_defaults():
    quote = quote_with_lines()
    # Every column the database cannot fill in itself, and a new number (it is unique).
    named = [
        field.column
        for field in Quote._meta.concrete_fields
        if not (field.primary_key or field.null or field.has_db_default())
        and field.name != "number"
    ]
    assert set(ANSWER_AND_REVISION).isdisjoint(named)
    columns = ", ".join(connection.ops.quote_name(column) for column in named)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Quote._meta.db_table} (number, {columns}) "
            f"SELECT number || '-COPY', {columns} FROM {Quote._meta.db_table} WHERE id = %s "
            "RETURNING id",
            [quote.pk],
        )
        [pk] = cursor.fetchone()

    copy = Quote.objects.get(pk=pk)
    assert {name: getattr(copy, name) for name in ANSWER_AND_REVISION} == ANSWER_AND_REVISION
    assert (copy.number, copy.total) == (f"{quote.number}-COPY", quote.total)
