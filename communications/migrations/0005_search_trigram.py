"""Trigram indexes for the communication search (``q``): subject and content (pg_trgm comes
from customers 0007).

Content is indexed too: a reference such as "PO-427568" is only found there. At 3 million
communications (about 60 characters of content each) that index is 205 MB next to a table of
600 MB and took 40 s to build; without it, every search reads the whole table (1-5 s)."""

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
        ("communications", "0004_customer_owner_required"),
        ("customers", "0007_search_trigram"),
    ]

    operations = [
        trigram_index("comm_subject_trgm", "communications_communication", "subject"),
        trigram_index("comm_content_trgm", "communications_communication", "content"),
        PostgreSQLOnly(
            sql="ANALYZE communications_communication", reverse_sql=migrations.RunSQL.noop
        ),
    ]
