"""Which customers are likely the same one: the rules the duplicate warning on the customer
form, the import and the duplicates page share.

A customer matches by e-mail (case and surrounding spaces aside), by the digits of its phone,
by its name (case- and width-insensitive, white space collapsed) and, on PostgreSQL, by a
similar name (trigram similarity). The exact rules compare keys that ``Customer.save`` keeps
in indexed columns (``email_key``, ``phone_normalized``, ``name_key``); similarity reads the
name's trigram index (customers 0007). Merged customers take no part: the customer they were
merged into stands for them.

Who learns what: a salesperson is shown their own customers only; a teammate's customer that
matches is only counted (``hidden_count``, "exists elsewhere"), never named. Managers see all.
"""

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db import connection, models, transaction
from django.db.models import (
    Case,
    F,
    FloatField,
    Func,
    Q,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, RowNumber, Upper
from django.utils.translation import gettext_lazy as _

from crm.lookups import AnyOf
from crm.roles import is_manager
from customers.models import Customer
from customers.querysets import email_key, name_key, normalize_phone

__all__ = [
    "RULES",
    "Duplicates",
    "Reason",
    "email_key",
    "find_matches",
    "find_matches_keyed",
    "find_matches_many",
    "name_key",
    "normalize_phone",
]

#: Matching customers shown per customer checked.
LIMIT = 10
#: Customers looked at per key in a batch (the user's own first): a name shared by hundreds
#: of customers costs the same as one shared by twenty.
MATCHES_PER_KEY = 20
#: How similar two names must be (pg_trgm's ``similarity``, 0 to 1) to be a "similar name".
SIMILARITY = 0.5


class Reason(models.TextChoices):
    EMAIL = "email", _("same e-mail")
    PHONE = "phone", _("same phone")
    NAME = "name", _("same name")
    SIMILAR_NAME = "similar_name", _("similar name")


@dataclass(frozen=True)
class Rule:
    """An exact rule: the customer's field, the indexed column holding its key (kept by
    ``Customer.save``), and how a value typed or imported becomes that key."""

    reason: Reason
    field: str
    column: str
    key: Callable[[str], str]

    def of(self, customer) -> str:
        return getattr(customer, self.column)


RULES = (
    Rule(Reason.EMAIL, "email", "email_key", email_key),
    Rule(Reason.PHONE, "phone", "phone_normalized", normalize_phone),
    Rule(Reason.NAME, "name", "name_key", name_key),
)


@dataclass
class Duplicates:
    """The customers that match one being saved or imported.

    ``visible`` are the ones the user may open (at most ``LIMIT``), ``reasons`` says for each
    (by pk) why it matched (`Reason` values); ``hidden_count`` counts the others, whose
    details a salesperson must not learn.
    """

    visible: list = field(default_factory=list)
    hidden_count: int = 0
    reasons: dict = field(default_factory=dict)

    def __bool__(self):
        return bool(self.visible) or self.hidden_count > 0

    def matches(self) -> list[tuple[Customer, list[str]]]:
        return [(customer, self.reasons.get(customer.pk, [])) for customer in self.visible]


def keys_of(*, name: str = "", email: str = "", phone: str = "") -> dict[Rule, str]:
    """The non-empty key of each exact rule for these values."""
    values = {"name": name, "email": email, "phone": phone}
    keys = {rule: rule.key(values[rule.field] or "") for rule in RULES}
    return {rule: key for rule, key in keys.items() if key}


def matchable():
    """Every customer that may match: all but merged ones (the key indexes leave them out)."""
    return Customer.objects.filter(merged_into__isnull=True)


def find_matches(
    *, by, name: str = "", email: str = "", phone: str = "", exclude_pk=None, similar=True
) -> Duplicates:
    """The customers that match these values, as ``by`` may learn of them; ``exclude_pk`` is
    the customer being edited. With ``similar`` (and a name, on PostgreSQL), the user's own
    customers with a similar name follow the exact matches; a teammate's customer with a
    merely similar name is not evidence enough to be counted."""
    keys = keys_of(name=name, email=email, phone=phone)
    if not keys:
        return Duplicates()
    matches = matchable().filter(reduce(or_, (Q(**{r.column: k}) for r, k in keys.items())))
    if exclude_pk is not None:
        matches = matches.exclude(pk=exclude_pk)
    # The strongest evidence first: the same e-mail, then the same phone, then the same name.
    strength = Case(
        *(When(Q(**{r.column: k}), then=Value(i)) for i, (r, k) in enumerate(keys.items())),
        default=Value(len(keys)),
    )
    visible = list(
        matches.visible_to(by).select_related("owner").order_by(strength, "name", "pk")[:LIMIT]
    )
    reasons = {c.pk: [r.reason for r, k in keys.items() if r.of(c) == k] for c in visible}
    if similar and name_key(name) and len(visible) < LIMIT and connection.vendor == "postgresql":
        shown = [*reasons, exclude_pk]
        for customer in similar_names(name, by=by, exclude=shown, limit=LIMIT - len(visible)):
            visible.append(customer)
            reasons[customer.pk] = [Reason.SIMILAR_NAME]
    hidden_count = 0 if is_manager(by) else matches.exclude(owner=by).count()
    return Duplicates(visible=visible, hidden_count=hidden_count, reasons=reasons)


class TrigramMatch(Func):
    """``a % b``: pg_trgm's "similar enough" operator, which a trigram index answers."""

    arg_joiner = " %% "
    template = "(%(expressions)s)"
    output_field = models.BooleanField()


def similar_names(name: str, *, by, exclude=(), limit: int = LIMIT) -> list:
    """``by``'s customers whose name is similar to ``name``, most similar first (PostgreSQL).

    Compared on ``UPPER(name::text)``, the expression of the trigram index customer_name_trgm
    (pg_trgm ignores case anyway), with pg_trgm's threshold raised to ``SIMILARITY`` for the
    statement: the index then hands over far fewer candidates to check (at a million
    customers, 20-50 ms instead of 200 for a name of common words)."""
    column, value = Upper(Cast("name", TextField())), Upper(Value(name))
    similar = (
        Customer.objects.visible_to(by)
        .filter(TrigramMatch(column, value), merged_into__isnull=True)
        .exclude(pk__in=[pk for pk in exclude if pk is not None])
        .annotate(similarity=Func(column, value, function="SIMILARITY", output_field=FloatField()))
        .select_related("owner")
        .order_by("-similarity", "pk")
    )
    with transaction.atomic(), connection.cursor() as cursor:
        threshold = "SELECT set_config('pg_trgm.similarity_threshold', %s, true)"
        cursor.execute(threshold, [str(SIMILARITY)])
        return list(similar[:limit])


def find_matches_many(*, by, candidates: list[dict]) -> list[Duplicates]:
    """`find_matches` for a batch (the import's, up to about 1,000 rows): each candidate is a
    dict with "name", "email" and "phone" (any may be missing); the answer is one
    `Duplicates` per candidate, in order.

    Set-based: one query per exact rule (``key IN (...)`` on its index) and one for the
    customers shown, however many candidates. Per key, at most ``MATCHES_PER_KEY`` customers
    are looked at (the user's own first), so ``hidden_count`` is counted up to that many per
    key. Similar names are not looked for: trigram similarity is an index search per name,
    not a set operation. Duplicates among the candidates themselves are the caller's concern.
    """
    keyed = [keys_of(**{f: c.get(f) or "" for f in ("name", "email", "phone")}) for c in candidates]
    return find_matches_keyed(by=by, keyed=keyed)


def find_matches_keyed(*, by, keyed: list[dict]) -> list[Duplicates]:
    """`find_matches_many` for candidates whose keys are worked out already (``keys_of``, or
    ``Rule.of`` a customer whose keys ``set_keys`` set)."""
    found = {}
    with _without_bitmap_scans():
        for rule in RULES:
            values = {keys[rule] for keys in keyed if rule in keys}
            if values:
                found.update(_matches_by_key(rule, values, by=by))
    manager = is_manager(by)
    shown = {pk for hits in found.values() for pk, owner in hits if manager or owner == by.pk}
    customers = Customer.objects.select_related("owner").in_bulk(shown) if shown else {}
    results = []
    for keys in keyed:
        reasons = {}
        for rule, key in keys.items():
            for pk, _owner in found.get((rule.reason, key), ()):
                reasons.setdefault(pk, []).append(rule.reason)
        visible = sorted((customers[pk] for pk in reasons if pk in customers), key=_by_name)
        hidden_count = sum(1 for pk in reasons if pk not in customers)
        visible = visible[:LIMIT]
        reasons = {c.pk: reasons[c.pk] for c in visible}
        results.append(Duplicates(visible=visible, hidden_count=hidden_count, reasons=reasons))
    return results


def _by_name(customer):
    return (customer.name, customer.pk)


def _matches_by_key(rule: Rule, values: set[str], *, by) -> dict[tuple[str, str], list]:
    """{(reason, key): [(pk, owner id), ...]} of the customers with one of ``values``."""
    own_first = Case(When(owner=by, then=Value(0)), default=Value(1))
    rows = (
        matchable()
        .filter(AnyOf(F(rule.column), sorted(values)))
        .annotate(rank=Window(RowNumber(), partition_by=rule.column, order_by=[own_first, "pk"]))
        .filter(rank__lte=MATCHES_PER_KEY)
        .order_by()
        .values_list(rule.column, "pk", "owner_id")
    )
    found = {}
    for key, pk, owner in rows:
        found.setdefault((rule.reason, key), []).append((pk, owner))
    return found


@contextmanager
def _without_bitmap_scans():
    """PostgreSQL's bitmap scans off for the statements inside (and back on after).

    The trigram index on phone digits (the list's search) also answers ``=``, and for a long
    ``IN`` list the planner may take it: a bitmap over every number sharing a few digits,
    rechecked row by row (3.8 s against 5 ms on the key's B-tree, 1,000 numbers, 100,000
    customers). A GIN index is read only by bitmap scans, so with them off the planner takes
    the B-tree or a plain scan. The setting is put back at once: a savepoint's ``SET LOCAL``
    would outlive it until the transaction ends (the import's whole batch)."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('enable_bitmapscan'), "
            "set_config('enable_bitmapscan', 'off', true)"
        )
        before, _off = cursor.fetchone()
        try:
            yield
        finally:
            cursor.execute("SELECT set_config('enable_bitmapscan', %s, true)", [before])
