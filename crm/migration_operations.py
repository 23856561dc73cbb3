"""Migration operations for what only PostgreSQL has (SQLite runs ``make run``'s demo):
trigram search indexes, the foreign key that keeps a record's copy of its customer's owner
right, table statistics. Migrations import them from here so each is written once."""

from django.db import migrations


class PostgreSQLOnly(migrations.RunSQL):
    """SQL that runs on PostgreSQL and does nothing elsewhere."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def trigram_index(name: str, table: str, column: str, *, upper: bool = True) -> PostgreSQLOnly:
    """A GIN trigram index on exactly the expression Django's ``icontains`` compares on
    PostgreSQL, ``UPPER(column::text) LIKE UPPER('%word%')`` (``contains``: without UPPER),
    so that the search uses it. Built CONCURRENTLY (the migration must be ``atomic = False``):
    writes to the table go on while it is built (tens of seconds for millions of rows); a
    build that failed half-way left an invalid index, dropped first."""
    expression = f"UPPER({column}::text)" if upper else f"{column}::text"
    return PostgreSQLOnly(
        sql=[
            f"DROP INDEX CONCURRENTLY IF EXISTS {name}",
            f"CREATE INDEX CONCURRENTLY {name} ON {table} USING gin (({expression}) gin_trgm_ops)",
        ],
        reverse_sql=f"DROP INDEX CONCURRENTLY IF EXISTS {name}",
    )


def analyze(*tables: str) -> PostgreSQLOnly:
    """Fresh statistics: the planner estimates how many rows a search word matches from the
    statistics of the indexed expressions, which only ANALYZE gathers."""
    return PostgreSQLOnly(sql=f"ANALYZE {', '.join(tables)}", reverse_sql=migrations.RunSQL.noop)


def customer_owner_in_step(table: str) -> PostgreSQLOnly:
    """The foreign key that keeps ``table``'s copy of the customer's owner right whatever
    writes the customer (crm.models.CustomerRecord): the pair must be one of the customers'
    (id, owner) (customers 0003), and a customer's new owner cascades to the row."""
    constraint = f"{table}_customer_owner_in_step"
    return PostgreSQLOnly(
        sql=f"ALTER TABLE {table} ADD CONSTRAINT {constraint} "
        "FOREIGN KEY (customer_id, customer_owner_id) "
        "REFERENCES customers_customer (id, owner_id) "
        "ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED",
        reverse_sql=f"ALTER TABLE {table} DROP CONSTRAINT {constraint}",
    )
