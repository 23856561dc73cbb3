"""The duplicates page's likely pairs: customers the user may see that share an e-mail, a phone
number or a name (the exact rules of customers.duplicates), a page at a time. Archived
customers count (one may be merged into a current one); merged ones do not.

How it stays fast at a million customers: the keys that more than one customer shares are
written down as customers are saved (customers.shared_keys), everyone's and each owner's, so a
page reads the next few of its rule's shared keys in key order (a manager's from everyone's, a
salesperson's from their own), then counts each key's customers on the key's index to check
it is still shared. Shared keys are few, so a page never walks the keys of customers without a
duplicate. A page's cursor is the rule and the last key it read (keyset pagination). Pairs
are only made within a group of equal keys: never a join of the customers with themselves.
"""

from dataclasses import dataclass

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber

from crm.lookups import AnyOf
from crm.roles import is_manager
from customers.duplicates import RULES, Rule
from customers.models import Customer, SharedKey

#: Shared keys one page reads at most (should many no longer be shared, it offers "Continue").
READ_LIMIT = 500
#: Groups of equal keys per page at most, and pairs: a page ends with the group that
#: brings it to ``PAGE_PAIRS`` (a group shows up to ``MEMBERS`` - 1).
PAGE_SIZE = 20
PAGE_PAIRS = 20
#: Customers shown per group (the oldest first; the group's size says how many more).
MEMBERS = 5

REASONS = [rule.reason for rule in RULES]
#: What the page shows of a customer and needs to pair it (the fewer columns, the less to
#: build: most of the page's own time).
SHOWN = (
    "name",
    "email",
    "phone",
    "archived_at",
    *(rule.column for rule in RULES),
    "owner__username",
    "owner__first_name",
    "owner__last_name",
)


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
    shared = SharedKey.objects.filter(owner=None if is_manager(user) else user)
    found, pairs, read = [], 0, 0
    while cursor is not None and len(found) < PAGE_SIZE and pairs < PAGE_PAIRS:
        if read >= READ_LIMIT:
            break  # many keys no longer shared: the next page goes on from here
        wanted = min(PAGE_SIZE - len(found), READ_LIMIT - read)
        # One more than wanted, to know whether any is left.
        keys = _next_keys(shared, cursor, wanted + 1)
        more, keys = len(keys) > wanted, keys[:wanted]
        groups = _groups(customers, keys)
        for index, (number, key) in enumerate(keys, start=1):
            cursor, read = Cursor(number, key), read + 1
            if (number, key) in groups:  # else no longer shared
                found.append(groups[number, key])
                pairs += len(found[-1].pairs())
                if pairs >= PAGE_PAIRS:
                    more = more or index < len(keys)
                    break
        if not more:
            cursor = None  # the last shared key of the last rule was read
    return DuplicatePage(groups=found, next=cursor)


def _next_keys(shared, cursor: Cursor, wanted: int) -> list[tuple[int, str]]:
    """The next ``wanted`` (rule, key) after ``cursor``: the rest of its rule, then the rules
    after it (two index range scans, each in key order)."""
    keys = list(
        shared.filter(rule=cursor.rule, key__gt=cursor.after)
        .order_by("key")
        .values_list("rule", "key")[:wanted]
    )
    if len(keys) < wanted:
        keys += (
            shared.filter(rule__gt=cursor.rule)
            .order_by("rule", "key")
            .values_list("rule", "key")[: wanted - len(keys)]
        )
    return keys


def _groups(customers, keys: list[tuple[int, str]]) -> dict[tuple[int, str], Group]:
    """{(rule, key): its group} for the ``keys`` that more than one of ``customers`` still
    has, each group with its first ``MEMBERS`` customers (current ones first, then the
    oldest) and its size: one query per rule among the keys, on the index of its key."""
    wanted = {}
    for number, key in keys:
        wanted.setdefault(number, set()).add(key)
    first = [F("archived_at").asc(nulls_first=True), "pk"]
    groups = {}
    for number, values in wanted.items():
        rule = RULES[number]
        rows = (
            customers.select_related("owner")
            .only(*SHOWN)
            .filter(AnyOf(F(rule.column), sorted(values)))
            .annotate(
                rank=Window(RowNumber(), partition_by=rule.column, order_by=first),
                size=Window(Count("*"), partition_by=rule.column),
            )
            .filter(rank__lte=MEMBERS, size__gt=1)
            .order_by(*first)
        )
        for customer in rows:
            key = rule.of(customer)
            if (number, key) not in groups:
                groups[number, key] = Group(rule, key, customer.size, [])
            groups[number, key].customers.append(customer)
    return groups


def _shared_reasons(first, other) -> list[str]:
    return [rule.reason for rule in RULES if rule.of(first) and rule.of(first) == rule.of(other)]
