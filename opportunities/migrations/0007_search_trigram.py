"""Trigram indexes for the deal search (``q``): name and next step; the customer's name is
searched through the customers' index (customers 0007, which also creates pg_trgm)."""

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
        ("customers", "0007_search_trigram"),
        ("opportunities", "0006_dashboard_indexes"),
    ]

    operations = [
        trigram_index("opp_name_trgm", "opportunities_opportunity", "name"),
        trigram_index("opp_next_step_trgm", "opportunities_opportunity", "next_step"),
        PostgreSQLOnly(sql="ANALYZE opportunities_opportunity", reverse_sql=migrations.RunSQL.noop),
    ]
