"""The duplicate keys more than one customer shares (`SharedKey`), kept as customers are
written, so the duplicates page (customers.duplicate_pairs) reads the few shared keys in key
order instead of walking every customer's key to find them.

Who keeps them: ``Customer.save`` (for the keys a customer had and has, when its keys, its
owner or its merge change), `customers.services.insert_customers` (the import), the
reassignment of customers and the undo of an import; `rebuild` works them all out afresh
(the migration that made the table, demo and benchmark data, ``manage.py
rebuild_shared_keys``).

Two people saving customers with the same key at the same moment each see only their own
(neither transaction sees the other's before it commits), so neither would write the key down.
So `refresh` also adds, once its transaction has committed, the keys it then finds shared:
the later of two commits sees both customers. That second look only ever adds: a key it
wrongly kept is merely skipped by the page, which checks every key against the customers.
"""

from functools import partial, reduce
from operator import or_

from django.db import connection, transaction
from django.db.models import Count, F, Q, Value

from crm.lookups import AnyOf
from customers.duplicates import RULES, matchable
from customers.models import Customer, SharedKey

#: A (rule, key, owner id) of `SharedKey`: the rule by its place in `RULES`; owner None:
#: shared among everyone's customers.
Row = tuple[str, str, int | None]
#: Keys worked out per statement (an import's batch of 1,000 customers has up to 3,000).
CHUNK = 5_000


def keys_of(customers, *, before=()) -> dict[int, set[str]]:
    """{rule's place in `RULES`: keys}: the non-empty keys of ``customers``, and of their
    earlier `Customer.match_state` ``before`` (None for a new one)."""
    keys = {number: set() for number in range(len(RULES))}
    for customer in customers:
        for number, rule in enumerate(RULES):
            keys[number].add(rule.of(customer))
    for state in before:
        for number, rule in enumerate(RULES) if state is not None else ():
            keys[number].add(state[rule.column])
    return {number: values - {"", None} for number, values in keys.items()}


def refresh(keys: dict[int, set[str]]) -> None:
    """Make the shared keys among ``keys`` what the customers say, as this transaction sees
    them: add the ones now shared, remove the ones no longer shared."""
    for chunk in _chunks(keys):
        _write(chunk, _shared(chunk), remove=True)
        if connection.in_atomic_block:
            transaction.on_commit(partial(_add_shared, chunk), robust=True)


def _chunks(keys: dict[int, set[str]]):
    """``keys`` a few thousand at a time (SQLite takes at most 32,766 parameters)."""
    pairs = [(rule, key) for rule, values in keys.items() for key in sorted(values)]
    for start in range(0, len(pairs), CHUNK):
        chunk = {}
        for rule, key in pairs[start : start + CHUNK]:
            chunk.setdefault(rule, set()).add(key)
        yield chunk


def _add_shared(keys: dict[int, set[str]]) -> None:
    _write(keys, _shared(keys), remove=False)


def _shared(keys: dict[int, set[str]]) -> set[Row]:
    """The rows `SharedKey` should have for ``keys``: one query, grouped by key and owner."""
    parts = [
        matchable()
        .filter(AnyOf(F(rule.column), sorted(keys[number])))
        .annotate(rule=Value(number), key=F(rule.column))
        .values_list("rule", "key", "owner_id")
        .annotate(count=Count("pk"))
        .order_by()
        for number, rule in enumerate(RULES)
        if keys.get(number)
    ]
    rows = parts[0].union(*parts[1:], all=True).order_by() if len(parts) > 1 else parts[0]
    owners: dict[tuple[str, str], dict] = {}
    for rule, key, owner, count in rows:
        owners.setdefault((rule, key), {})[owner] = count
    shared = set()
    for (rule, key), counts in owners.items():
        if sum(counts.values()) > 1:
            shared.add((rule, key, None))
        shared.update((rule, key, owner) for owner, count in counts.items() if count > 1)
    return shared


def _write(keys: dict[int, set[str]], shared: set[Row], *, remove: bool) -> None:
    written = SharedKey.objects.filter(
        reduce(
            or_,
            (
                Q(AnyOf(F("key"), sorted(values)), rule=rule)
                for rule, values in keys.items()
                if values
            ),
        )
    ).values_list("pk", "rule", "key", "owner_id")
    existing = {(rule, key, owner): pk for pk, rule, key, owner in written}
    if remove and (stale := [pk for row, pk in existing.items() if row not in shared]):
        SharedKey.objects.filter(pk__in=stale).delete()
    if missing := shared - existing.keys():
        SharedKey.objects.bulk_create(
            (SharedKey(rule=rule, key=key, owner_id=owner) for rule, key, owner in missing),
            ignore_conflicts=True,
        )


def rebuild() -> int:
    """Every shared key worked out afresh from all customers; returns how many there are."""
    with transaction.atomic():
        SharedKey.objects.all().delete()
        with connection.cursor() as cursor:
            for statement in rebuild_statements(Customer._meta.db_table, SharedKey._meta.db_table):
                cursor.execute(statement)
        return SharedKey.objects.count()


def rebuild_statements(customers: str, shared: str) -> list[str]:
    """The SQL that fills table ``shared`` from table ``customers`` (also the migration's)."""
    quote = connection.ops.quote_name
    statements = []
    for number, rule in enumerate(RULES):
        column = quote(rule.column)
        matching = f"FROM {quote(customers)} WHERE merged_into_id IS NULL AND {column} <> ''"
        statements.append(
            f"INSERT INTO {quote(shared)} (rule, {quote('key')}, owner_id) "
            f"SELECT {number}, {column}, NULL {matching} "
            f"GROUP BY {column} HAVING COUNT(*) > 1 "
            f"UNION ALL SELECT {number}, {column}, owner_id {matching} "
            f"GROUP BY {column}, owner_id HAVING COUNT(*) > 1"
        )
    return statements
