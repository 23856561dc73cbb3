"""Customers (with their first contact and tags), a batch at a time: checked without the
database (in the process that reads the file), then matched and stored together."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from customers import services as customer_services
from customers.duplicates import RULES, find_matches_keyed, keys_of
from customers.models import Customer, Tag
from imports.loaders.base import Loader, RowResult, jsonable, refusal
from imports.models import ImportRow, OnDuplicate

Outcome = ImportRow.Outcome
CUSTOMER_FIELDS = set(customer_services.CUSTOMER_FIELDS)


@dataclass
class CheckedRow:
    """A customer row as `CustomerLoader.check_batch` leaves it: the names of its tags, the
    row prepared (or the error that refused it) and the customer checked from it (unsaved),
    or the error that refused that."""

    tag_names: list[str]
    row: dict | None
    error: Exception | None = None
    customer: object = None


class CustomerLoader(Loader):
    """Customers a batch at a time: matched in one go (customers.duplicates), the new ones
    inserted together (customers.services.insert_customers); a row matching an earlier row
    of the same file is that row's duplicate."""

    def __init__(self, run):
        super().__init__(run)
        self.known_tags: dict[str, Tag] = {}

    def store(self, values: dict) -> RowResult:
        return self.store_batch([values])[0]

    def store_batch(self, rows: list[dict]) -> list[RowResult]:
        return self.store_checked(self.check_batch(rows))

    def check_batch(self, rows: list[dict]) -> list[CheckedRow]:
        checked = []
        for values in rows:
            values = dict(values)
            tag_names = values.pop("tags", [])
            try:
                checked.append(CheckedRow(tag_names, self.prepare(values)))
            except (ValidationError, PermissionDenied) as error:
                checked.append(CheckedRow(tag_names, None, error))
        preparing = [each for each in checked if each.row is not None]
        customers = customer_services.check_customers(
            by=self.by, rows=[each.row for each in preparing]
        )
        for each, customer in zip(preparing, customers, strict=True):
            each.customer = customer
        return checked

    def store_checked(self, checked: list[CheckedRow]) -> list[RowResult]:
        results: list[RowResult | None] = [None] * len(checked)
        prepared = []
        for index, each in enumerate(checked):
            # The tags first, as a row's tag is the first thing `prepare` reads: they are
            # found (or made) here, in the batch's transaction, not while checking.
            try:
                tags = self.tags(each.tag_names)
                if each.error is not None:
                    raise each.error
            except (ValidationError, PermissionDenied) as error:
                results[index] = RowResult(Outcome.FAILED, refusal(error))
                continue
            each.row["tags"] = tags
            prepared.append((index, each))
        keyed = [_keys(each) for _index, each in prepared]
        matches = find_matches_keyed(by=self.by, keyed=keyed)
        mode, pending, creating = self.run.on_duplicate, {}, []
        for (index, each), keys, found in zip(prepared, keyed, matches, strict=True):
            row = each.row
            earlier = next((pending[key] for key in keys.items() if key in pending), None)
            if mode != OnDuplicate.CREATE and earlier is not None:
                results[index] = RowResult(
                    Outcome.SKIPPED, _("The same customer as an earlier row of the file.")
                )
            elif mode != OnDuplicate.CREATE and found:
                results[index] = self.matched(found, row)
            elif isinstance(each.customer, Exception):
                results[index] = RowResult(Outcome.FAILED, refusal(each.customer))
            else:
                pending.update(dict.fromkeys(keys.items(), index))
                each.customer.new_tags = row["tags"]
                creating.append((index, each.customer))
        customer_services.insert_customers([customer for _index, customer in creating])
        for index, customer in creating:
            contact = customer.new_contact
            results[index] = RowResult(
                Outcome.CREATED, record=customer, contact_id=contact.pk if contact else None
            )
        return results

    def prepare(self, values: dict) -> dict:
        """The row as `create_customers` takes it, but for its tags (``store_checked`` finds
        them): its contact and owner resolved."""
        contact = {
            name.removeprefix("contact_"): values.pop(name)
            for name in list(values)
            if name.startswith("contact_")
        }
        owner = self.owner(values)
        values = {name: value for name, value in values.items() if name in CUSTOMER_FIELDS}
        return {**values, "owner": owner, "contact": contact or None}

    def matched(self, found, row: dict) -> RowResult:
        if not found.visible:
            return RowResult(
                Outcome.SKIPPED, _("A customer with the same details exists elsewhere (not yours).")
            )
        existing = found.visible[0]
        if self.run.on_duplicate == OnDuplicate.SKIP:
            return RowResult(
                Outcome.SKIPPED,
                _("Matches customer “%(name)s” (%(id)s).")
                % {"name": existing.name, "id": existing.pk},
                record=existing,
            )
        values = {k: v for k, v in row.items() if k in CUSTOMER_FIELDS}
        try:
            with transaction.atomic():
                return self.update(existing, values, row["tags"])
        except (ValidationError, PermissionDenied, DatabaseError) as error:
            return RowResult(Outcome.FAILED, refusal(error))

    def update(self, existing: Customer, values: dict, tags: list) -> RowResult:
        previous = {name: getattr(existing, name) for name in values}
        previous["tags"] = sorted(existing.tags.values_list("pk", flat=True))
        changed = {name: value for name, value in values.items() if previous[name] != value}
        union = sorted({*previous["tags"], *(tag.pk for tag in tags)})
        customer = customer_services.update_customer(
            customer_id=existing.pk,
            by=self.by,
            tags=Tag.objects.filter(pk__in=union) if union != previous["tags"] else None,
            **changed,
        )
        return RowResult(
            Outcome.UPDATED,
            _("Updated customer “%(name)s” (%(id)s).") % {"name": customer.name, "id": customer.pk},
            record=customer,
            previous={name: jsonable(value) for name, value in previous.items()},
        )

    def tags(self, names: list[str]) -> list[Tag]:
        return customer_services.tags_named(names, by=self.by, known=self.known_tags)


def _keys(each: CheckedRow) -> dict:
    """The row's duplicate keys: those its checked customer worked out (`Customer.set_keys`,
    the same functions as `keys_of`), or the row's own for a row the check refused."""
    if isinstance(each.customer, Customer):
        return {rule: key for rule in RULES if (key := rule.of(each.customer))}
    return keys_of(**{f: each.row.get(f) or "" for f in ("name", "email", "phone")})
