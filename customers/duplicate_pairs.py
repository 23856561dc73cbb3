"""The duplicates page's likely pairs: customers the user may see that share an e-mail, a phone
number or a name (the exact rules of customers.duplicates), a page at a time. Archived
customers count (one may be merged into a current one); merged ones do not.

How it stays fast at a million customers: each rule walks the index of its key in key order
and groups equal keys, ``GROUP BY key HAVING count(*) > 1 ORDER BY key LIMIT n``, which
PostgreSQL answers with a GroupAggregate over the index that stops as soon as the page is full.
A page's cursor is the rule and the last key it read (keyset pagination, no OFFSET over
pages). A salesperson's walk reads the index (owner, key), a manager's the index (key), both
index-only. Where duplicates are rare, a walk could
read a whole index before a page fills, so a page reads at most ``SCAN_LIMIT`` keys of a rule
and then shows what it found, with "Continue" from where it stopped. Pairs are only made
within a group of equal keys: never a join of the customers with themselves.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber

from customers.duplicates import RULES, Rule
from customers.models import Customer

#: Keys of one rule read by one page at most (its index entries).
SCAN_LIMIT = 50_000
#: Groups of equal keys per page.
PAGE_SIZE = 20
#: Customers shown per group (the oldest first; the group's size says how many more).
MEMBERS = 5

REASONS = [rule.reason for rule in RULES]


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: the rule and the last key read before it."""

    rule: int = 0
    after: str = ""

    @classmethod
    def from_query(cls, data) -> "Cursor":
        reason = data.get("rule", "")
        return cls(REASONS.index(reason), data.get("after", "")) if reason in REASONS else cls()

    def as_query(self) -> dict:
        return {"rule": REASONS[self.rule], "after": self.after}


@dataclass
class Pair:
    keep: Customer
    other: Customer
    reasons: list[str]


@dataclass
class Group:
    rule: Rule
    key: str
    count: int
    customers: list

    def pairs(self) -> list[Pair]:
        """The first customer of the group with each other one, and why they match; a pair
        that an earlier rule lists already (the same e-mail before the same name) is left out."""
        first, *others = self.customers
        pairs = [Pair(first, other, _shared_reasons(first, other)) for other in others]
        return [pair for pair in pairs if pair.reasons[0] == self.rule.reason]


@dataclass
class DuplicatePage:
    groups: list[Group]
    #: Where the next page starts; None after the last key of the last rule.
    next: Cursor | None

    def rows(self) -> list[tuple[Group, list[Pair]]]:
        """The groups that have pairs to show, each with its pairs."""
        return [(group, pairs) for group in self.groups if (pairs := group.pairs())]


def duplicate_page(user, cursor: Cursor) -> DuplicatePage:
    """One page of groups of ``user``'s customers with equal keys, from ``cursor``."""
    customers = Customer.objects.visible_to(user).filter(merged_into__isnull=True)
    found = []
    while cursor is not None and len(found) < PAGE_SIZE:
        rule = RULES[cursor.rule]
        keys = customers.annotate(key=F(rule.column)).filter(key__gt=cursor.after)
        # The last key this page may read, if the rule has more (None: it ends before).
        stop = next(
            iter(keys.order_by("key").values_list("key", flat=True)[SCAN_LIMIT : SCAN_LIMIT + 1]),
            None,
        )
        if stop is not None:
            keys = keys.filter(key__lte=stop)
        wanted = PAGE_SIZE - len(found)
        groups = list(
            keys.values("key")
            .annotate(count=Count("*"))
            .filter(count__gt=1)
            .order_by("key")
            .values_list("key", "count")[: wanted + 1]
        )
        found += [(rule, key, count) for key, count in groups[:wanted]]
        if len(groups) > wanted:
            cursor = Cursor(cursor.rule, groups[wanted - 1][0])
        elif stop is not None:
            cursor = Cursor(cursor.rule, stop)
            break  # this page has read its share of the index
        else:
            cursor = Cursor(cursor.rule + 1) if cursor.rule + 1 < len(RULES) else None
    return DuplicatePage(groups=_with_customers(customers, found), next=cursor)


def _with_customers(customers, found: list) -> list[Group]:
    """The groups with their first ``MEMBERS`` customers (current ones first, then the
    oldest), read in one query."""
    if not found:
        return []
    keys = {}
    for rule, key, _count in found:
        keys.setdefault(rule, []).append(key)
    first = [F("archived_at").asc(nulls_first=True), "pk"]
    rows = (
        customers.select_related("owner")
        .filter(reduce(or_, (Q(**{f"{rule.column}__in": values}) for rule, values in keys.items())))
        .annotate(
            **{
                f"rank_{rule.reason}": Window(RowNumber(), partition_by=rule.column, order_by=first)
                for rule in keys
            }
        )
        .filter(
            reduce(
                or_,
                (
                    Q(**{f"{rule.column}__in": values, f"rank_{rule.reason}__lte": MEMBERS})
                    for rule, values in keys.items()
                ),
            )
        )
        .order_by(*first)
    )
    rows = list(rows)
    return [
        Group(rule, key, count, [c for c in rows if getattr(c, rule.column) == key][:MEMBERS])
        for rule, key, count in found
    ]


def _shared_reasons(first, other) -> list[str]:
    return [rule.reason for rule in RULES if rule.of(first) and rule.of(first) == rule.of(other)]
