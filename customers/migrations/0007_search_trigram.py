"""Trigram indexes for the customer search (``q``): name, e-mail, phone, the phone's digits
and contacts' names, so that a search word reads a few index pages instead of every row.

pg_trgm must exist in the database. It is a trusted extension (PostgreSQL 13+): the
migration creates it when the database user may create objects in the database (its owner
does); otherwise a superuser runs ``CREATE EXTENSION pg_trgm;`` in it once, beforehand.
The extension stays when the migration is reversed: other objects may use it."""

from django.db import migrations


class PostgreSQLOnly(migrations.RunSQL):
    """SQL for PostgreSQL only: SQLite (``make run``) has no pg_trgm and searches its small
    tables without these indexes."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def trigram_index(name, table, column):
    """A GIN trigram index on exactly the expression Django's ``icontains`` compares on
    PostgreSQL, ``UPPER(column::text) LIKE UPPER('%word%')``, so that the search uses it.
    Built CONCURRENTLY: writes to the table go on while it is built (tens of seconds for
    millions of rows); a build that failed half-way left an invalid index, dropped first."""
    return PostgreSQLOnly(
        sql=[
            f"DROP INDEX CONCURRENTLY IF EXISTS {name}",
            f"CREATE INDEX CONCURRENTLY {name} ON {table} "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)",
        ],
        reverse_sql=f"DROP INDEX CONCURRENTLY IF EXISTS {name}",
    )


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("customers", "0006_owner_name_sort"),
    ]

    operations = [
        PostgreSQLOnly(
            sql="CREATE EXTENSION IF NOT EXISTS pg_trgm",
            reverse_sql=migrations.RunSQL.noop,
        ),
        trigram_index("customer_name_trgm", "customers_customer", "name"),
        trigram_index("customer_email_trgm", "customers_customer", "email"),
        trigram_index("customer_phone_trgm", "customers_customer", "phone"),
        # A number typed with spaces matches the digits: phone_normalized__contains, which
        # Django writes without UPPER.
        PostgreSQLOnly(
            sql=[
                "DROP INDEX CONCURRENTLY IF EXISTS customer_phone_digits_trgm",
                "CREATE INDEX CONCURRENTLY customer_phone_digits_trgm ON customers_customer "
                "USING gin ((phone_normalized::text) gin_trgm_ops)",
            ],
            reverse_sql="DROP INDEX CONCURRENTLY IF EXISTS customer_phone_digits_trgm",
        ),
        trigram_index("contact_name_trgm", "customers_contact", "name"),
        # The planner estimates how many rows a word matches from the statistics of the
        # indexed expressions, which only ANALYZE gathers.
        PostgreSQLOnly(
            sql="ANALYZE customers_customer, customers_contact",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
