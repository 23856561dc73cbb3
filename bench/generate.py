"""Synthetic CRM data at a scale factor, loaded with PostgreSQL ``COPY`` through psycopg.

Scale 1.0 is the size issue 6 names: 1,000,000 customers, 1,000,000 opportunities, 3,000,000
communications, 200,000 quotes with 1-5 lines each, 100,000 orders (their lines copied from
the quote), 50 salespeople and 3 managers in their groups; company customers also get 0-3
contacts and a third of the customers a tag. The models' rules hold: a quote's customer is its
opportunity's customer, an order comes from an accepted quote (at most one per quote), numbers
are unique and follow the app's ``Q-2025-00042`` / ``SO-2025-00042`` series, a stage carries
its probability (a few are overridden), ``weighted_amount`` is left to the database (it is a
generated column), every status is a valid one with the timestamps its workflow sets, and
``phone_normalized`` holds the digits. Timestamps spread over the three years before today.

Deterministic: every table's row count is a fixed function of the customer index, and the
values come from one random generator per block of customers, seeded by (seed, block). So
``generate(0.1)`` followed by ``generate(1.0)`` writes the same rows as ``generate(1.0)``
alone, on the same day with the same seed: that is how ``make bench`` grows from its 100k
point to its 1M point. The database must be empty of customers, or hold only what the
generator wrote before.

The rows are consistent by construction, so foreign-key triggers are switched off during the
load when the database user may do so (``session_replication_role = replica``): checking
millions of deferred constraints one by one would take longer than the load itself.
"""

import random
import time
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from psycopg import sql

from bench import vocabulary as words
from bench.rows import COLUMNS, RowMaker
from bench.shapes import (
    BLOCK,
    COMMUNICATION_OFFSETS,
    OPPORTUNITY_OFFSETS,
    ORDER_EVERY,
    QUOTE_EVERY,
    rows_before,
)
from communications.models import Communication
from crm.models import NumberSequence
from crm.roles import SALES, SALES_MANAGERS
from customers import shared_keys
from customers.models import Contact, Customer, Tag
from demo.loading import DEMO_PASSWORD
from demo.people import TAGS
from opportunities.models import Opportunity
from orders.models import Order, OrderLine
from quotes.models import Quote, QuoteLine

SCALE_ONE_CUSTOMERS = 1_000_000
DEFAULT_SEED = 20261125
#: Blocks generated before their rows are copied, table by table.
BATCH_BLOCKS = 25
#: A load of at least this many customers (and half the existing ones) drops the secondary
#: indexes and builds them again afterwards.
REBUILD_INDEXES_FROM = 20_000
SALESPEOPLE, MANAGERS = 50, 3
SALES_USERNAME, MANAGER_USERNAME = "bench-sales-{:02d}", "bench-manager-{}"
LOADED_MODELS = [Customer, Contact, Opportunity, Quote, QuoteLine, Order, OrderLine, Communication]


class BenchDataError(Exception):
    """The database holds rows that the generator did not write, or is not PostgreSQL."""


def customers_for(scale: float) -> int:
    return max(0, round(SCALE_ONE_CUSTOMERS * scale))


def planned_counts(customers: int) -> dict[str, int]:
    """Rows of each main table once the first ``customers`` customers are generated."""
    opportunities = rows_before(OPPORTUNITY_OFFSETS, customers)
    quotes = -(-opportunities // QUOTE_EVERY)
    return {
        "customers": customers,
        "opportunities": opportunities,
        "communications": rows_before(COMMUNICATION_OFFSETS, customers),
        "quotes": quotes,
        "orders": -(-quotes // ORDER_EVERY),
    }


def actual_counts() -> dict[str, int]:
    models = {
        "customers": Customer,
        "opportunities": Opportunity,
        "communications": Communication,
        "quotes": Quote,
        "orders": Order,
    }
    return {name: model.objects.count() for name, model in models.items()}


@dataclass
class BenchUsers:
    salespeople: list  # user ids, in username order
    managers: list


def ensure_bench_users() -> BenchUsers:
    """50 salespeople in the Sales group and 3 managers in Sales managers (staff), with the
    demo password; created once, found again by username."""
    User = get_user_model()
    specs = [
        (SALES_USERNAME.format(n), SALES, _staff_name(n)) for n in range(1, SALESPEOPLE + 1)
    ] + [
        (MANAGER_USERNAME.format(n), SALES_MANAGERS, _staff_name(100 + n))
        for n in range(1, MANAGERS + 1)
    ]
    existing = User.objects.in_bulk([s[0] for s in specs], field_name="username")
    password = make_password(DEMO_PASSWORD) if len(existing) < len(specs) else ""
    User.objects.bulk_create(
        [
            User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@example.com",
                is_staff=role == SALES_MANAGERS,
                password=password,
            )
            for username, role, (first, last) in specs
            if username not in existing
        ]
    )
    users = User.objects.in_bulk([s[0] for s in specs], field_name="username")
    groups = {g.name: g for g in Group.objects.filter(name__in=[SALES, SALES_MANAGERS])}
    Membership = User.groups.through
    Membership.objects.bulk_create(
        [Membership(user_id=users[u].pk, group_id=groups[role].pk) for u, role, _ in specs],
        ignore_conflicts=True,
    )
    return BenchUsers(
        salespeople=[users[s[0]].pk for s in specs if s[1] == SALES],
        managers=[users[s[0]].pk for s in specs if s[1] == SALES_MANAGERS],
    )


def _staff_name(n: int) -> tuple[str, str]:
    rng = random.Random(f"staff:{n}")
    if n % 2:
        return rng.choice(words.CN_SURNAMES) + rng.choice(words.CN_GIVEN), ""
    return rng.choice(words.EN_FIRST), rng.choice(words.EN_LAST)


@dataclass
class GenerationReport:
    scale: float
    seed: int
    customers_before: int
    counts: dict[str, int]  # rows of the main tables afterwards
    added: dict[str, int]  # rows written by this run, per table (contacts, lines... included)
    seconds: float
    phases: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        added = ", ".join(f"{n:,} {name}" for name, n in self.added.items() if n)
        return (
            f"scale {self.scale:g}: {self.counts['customers']:,} customers "
            f"(added {added or 'nothing'}) in {self.seconds:.1f} s"
        )


def generate(
    scale: float = 1.0, *, seed: int = DEFAULT_SEED, vacuum: bool = True, log=None
) -> GenerationReport:
    """Fill the database up to ``scale`` (1.0 = one million customers) and return what was
    written and how long it took. Only the rows that are missing are written; sequences are
    reset and the tables analysed (``VACUUM ANALYZE`` outside a transaction when ``vacuum``,
    which also sets the visibility map that index-only scans need)."""
    if connection.vendor != "postgresql":
        raise BenchDataError("The benchmark data is loaded with PostgreSQL COPY.")
    log = log or (lambda message: None)
    started = time.perf_counter()
    phases = {}
    users = ensure_bench_users()
    tag_ids = [Tag.objects.get_or_create(name=name)[0].pk for name in TAGS]
    before = _check_existing()
    target = customers_for(scale)
    added = {model._meta.model_name: 0 for model in COLUMNS}
    if target > before:
        maker = RowMaker(seed=seed, users=users, tag_ids=tag_ids)
        load_started = time.perf_counter()
        rebuild = target - before >= max(REBUILD_INDEXES_FROM, before // 2)
        # One transaction: a load that fails half-way leaves the database as it was.
        with transaction.atomic(), connection.cursor() as cursor:
            triggers_off = _foreign_key_triggers_off(cursor)
            dropped = _drop_secondary_indexes(cursor) if rebuild else []
            first_block, last_block = before // BLOCK, -(-target // BLOCK)
            for batch_start in range(first_block, last_block, BATCH_BLOCKS):
                rows = {model: [] for model in COLUMNS}
                for block in range(batch_start, min(batch_start + BATCH_BLOCKS, last_block)):
                    maker.block(block, before, target, rows)
                for model, model_rows in rows.items():
                    _copy(cursor.connection, model, model_rows)
                    added[model._meta.model_name] += len(model_rows)
                done = min((batch_start + BATCH_BLOCKS) * BLOCK, target)
                log(f"  {done:,} / {target:,} customers ({time.perf_counter() - started:.0f} s)")
            phases["copy"] = time.perf_counter() - load_started
            if dropped:
                indexing = time.perf_counter()
                log(f"  building {len(dropped)} indexes")
                _create_indexes(cursor, dropped)
                phases["indexes"] = time.perf_counter() - indexing
            _save_number_series(maker.numbers)
            sharing = time.perf_counter()
            shared_keys.rebuild()  # the duplicates page's shared keys, as the app keeps them
            phases["shared_keys"] = time.perf_counter() - sharing
            if triggers_off:  # until the end of the enclosing transaction otherwise (tests)
                cursor.execute("SET LOCAL session_replication_role = origin")
    finishing = time.perf_counter()
    _reset_sequences()
    _analyse(vacuum=vacuum and not connection.in_atomic_block)
    phases["sequences_and_analyse"] = time.perf_counter() - finishing
    return GenerationReport(
        scale=scale,
        seed=seed,
        customers_before=before,
        counts=actual_counts(),
        added=added,
        seconds=time.perf_counter() - started,
        phases=phases,
    )


def _check_existing() -> int:
    """How many customers the generator wrote before; refuses a database with other rows."""
    counts = actual_counts()
    customers = counts["customers"]
    highest = Customer.objects.aggregate(highest=Max("id"))["highest"] or 0
    if counts != planned_counts(customers) or highest != customers:
        raise BenchDataError(
            "The database holds customers, deals or quotes that the benchmark generator did not "
            f"write ({counts}); generate into an empty database."
        )
    return customers


def _foreign_key_triggers_off(cursor) -> bool:
    """``session_replication_role = replica`` for the transaction when the user is a superuser:
    PostgreSQL then skips the foreign-key triggers (the rows are consistent by construction).
    Other users load with the triggers on, only slower."""
    cursor.execute("SELECT current_setting('is_superuser') = 'on'")
    superuser = cursor.fetchone()[0]
    if superuser:
        cursor.execute("SET LOCAL session_replication_role = replica")
    return superuser


def _drop_secondary_indexes(cursor) -> list[str]:
    """Drop the indexes of the loaded tables that back no constraint and return their
    definitions: building an index once after a big load is several times faster than
    updating it row by row."""
    tables = [model._meta.db_table for model in COLUMNS]
    cursor.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid = ANY(%s::regclass[])
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        ORDER BY 1
        """,
        [tables],
    )
    indexes = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    return [definition for _name, definition in indexes]


def _create_indexes(cursor, definitions: list[str]) -> None:
    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    for definition in definitions:
        cursor.execute(definition)


def _copy(raw_connection, model, rows) -> None:
    if not rows:
        return
    meta = model._meta
    columns = [meta.get_field(name).column for name in COLUMNS[model].split()]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(meta.db_table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with raw_connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _save_number_series(numbers: dict[str, int]) -> None:
    """Hand the app's numbering (crm.numbering) the last number of each series we used."""
    for series, last in numbers.items():
        row, _created = NumberSequence.objects.get_or_create(series=series)
        if row.last < last:
            row.last = last
            row.save(update_fields=["last"])


def _reset_sequences() -> None:
    models = [*LOADED_MODELS, Customer.tags.through]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


def _analyse(*, vacuum: bool) -> None:
    command = "VACUUM (ANALYZE)" if vacuum else "ANALYZE"
    with connection.cursor() as cursor:
        for model in [*LOADED_MODELS, Customer.tags.through]:
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
