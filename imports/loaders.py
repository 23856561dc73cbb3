"""One file row, converted (imports.fields), becomes a record: through the same services as
the pages, so an import obeys every rule a person typing the record would.

A loader decides per row: create, update the existing customer, skip, or fail, and says why
in the row's outcome. Matching an existing customer follows the duplicate warning's rules
(customers.duplicates): a salesperson matches only their own customers, and learns of a
teammate's only that one "exists elsewhere".
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from communications import services as communication_services
from crm.roles import is_manager
from customers import services as customer_services
from customers.duplicates import email_key, find_matches_many, keys_of, name_key
from customers.models import Customer, Tag
from imports.models import ImportRow, OnDuplicate
from opportunities import services as opportunity_services
from opportunities.models import Opportunity
from opportunities.stages import OPEN_STAGES, Stage
from products import services as product_services
from products.models import Product, normalize_sku

Outcome = ImportRow.Outcome
CUSTOMER_FIELDS = set(customer_services.CUSTOMER_FIELDS)
#: How a deal or communication row names its customer, in order of preference: the row's
#: field, the customer's column it is compared with, and how a value becomes that column's key.
CUSTOMER_KEYS = (
    ("customer_external_id", "external_id", str.strip),
    ("customer_email", "email_key", email_key),
    ("customer_name", "name_key", name_key),
)


@dataclass
class CheckedRow:
    """A customer row as `CustomerLoader.check_batch` leaves it: the names of its tags, the
    row prepared (or the error that refused it) and the customer checked from it (unsaved),
    or the error that refused that."""

    tag_names: list[str]
    row: dict | None
    error: Exception | None = None
    customer: object = None


@dataclass
class RowResult:
    outcome: str
    message: str = ""
    record: object = None
    contact_id: int | None = None
    previous: dict = field(default_factory=dict)


def refusal(error: Exception) -> str:
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            return " ".join(
                f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
                for name, messages in error.message_dict.items()
            )
        return " ".join(error.messages)
    if isinstance(error, PermissionDenied):
        return str(error) or _("You are not allowed to do that.")
    return _("The database refused the row (%(kind)s).") % {"kind": type(error).__name__}


class Loader(ABC):
    """Turns converted rows of one import into records, as the importer."""

    def __init__(self, run):
        self.run = run
        self.by = run.created_by
        self.manager = is_manager(self.by)
        #: The customers the rows of the batch being stored name (``customers_named``).
        self.named = None

    def load(self, values: dict) -> RowResult:
        """One row, in a savepoint of its own: a refused row leaves nothing behind."""
        try:
            with transaction.atomic():
                return self.store(values)
        except (ValidationError, PermissionDenied, DatabaseError) as error:
            return RowResult(Outcome.FAILED, refusal(error))

    @abstractmethod
    def store(self, values: dict) -> RowResult:
        """Store one converted row (inside ``load``'s savepoint) and say what became of it."""

    def owner(self, values: dict):
        """The run's one owner, else the row's owner column (a manager's import), else the
        importer."""
        named = values.pop("owner", None)
        if self.run.owner_id:
            return self.run.owner
        if named is not None and named != self.by:
            if not self.manager:
                raise PermissionDenied(_("Only a sales manager can import records for others."))
            return named
        return self.by

    def customer(self, values: dict) -> Customer:
        """The customer a deal or communication row names (by external id, e-mail or name,
        the first of them the row has), among those the importer may see."""
        named = self.named if self.named is not None else self.customers_named([values])
        for name, column, key in CUSTOMER_KEYS:
            wanted = values.pop(name, None)
            if not wanted:
                continue
            found = named.get((column, key(wanted)), [])
            if len(found) == 1:
                return found[0]
            message = (
                _("No customer of yours matches “%(value)s”.")
                if not found
                else _("More than one customer matches “%(value)s”; use the e-mail or id.")
            )
            raise ValidationError(message % {"value": wanted})
        raise ValidationError(_("The row names no customer."))

    def customers_named(self, rows: list[dict]) -> dict[tuple[str, str], list[Customer]]:
        """{(column, key): [the customer]} for every customer the ``rows`` name ([two ids] for
        a name more than one customer has): one query per kind of name, on the keys duplicates
        are matched on (so "ACME  Ltd" finds "Acme Ltd"), and one for the customers found."""
        visible = Customer.objects.visible_to(self.by).active().filter(merged_into__isnull=True)
        pks = {}
        for name, column, key in CUSTOMER_KEYS:
            wanted = {key(row[name]) for row in rows if row.get(name)} - {""}
            if not wanted:
                continue
            hits = visible.filter(**{f"{column}__in": wanted}).order_by("pk")
            for value, pk in hits.values_list(column, "pk"):
                found = pks.setdefault((column, value), [])
                if len(found) < 2:
                    found.append(pk)
        single = {found[0] for found in pks.values() if len(found) == 1}
        customers = Customer.objects.in_bulk(single) if single else {}
        return {
            found_key: [customers[pk] for pk in found] if len(found) == 1 else found
            for found_key, found in pks.items()
        }

    def check_batch(self, rows: list[dict]) -> list:
        """What of a batch can be checked without the database, for `store_checked`; an
        import runs it on its next batch while the database stores the one before."""
        return rows

    def store_checked(self, checked: list) -> list[RowResult]:
        """The rest of `store_batch`, on what `check_batch` gave."""
        return self.store_batch(checked)

    def store_batch(self, rows: list[dict]) -> list[RowResult]:
        """Each row as ``load`` stores it, the customers they name read for all at once."""
        self.named = self.customers_named(rows)
        try:
            return [self.load(values) for values in rows]
        finally:
            self.named = None


class CustomerLoader(Loader):
    """Customers a batch at a time: matched in one go (customers.duplicates), the new ones
    inserted together (customers.services.create_customers); a row matching an earlier row
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
        matches = find_matches_many(
            by=self.by,
            candidates=[
                {f: each.row.get(f, "") for f in ("name", "email", "phone")}
                for _i, each in prepared
            ],
        )
        mode, pending, creating = self.run.on_duplicate, {}, []
        for (index, each), found in zip(prepared, matches, strict=True):
            row = each.row
            keys = keys_of(**{f: row.get(f, "") for f in ("name", "email", "phone")})
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
            previous={name: _jsonable(value) for name, value in previous.items()},
        )

    def tags(self, names: list[str]) -> list[Tag]:
        return customer_services.tags_named(names, by=self.by, known=self.known_tags)


class OpportunityLoader(Loader):
    def store(self, values: dict) -> RowResult:
        customer = self.customer(values)
        owner = self.owner(values)
        stage = values.pop("stage", Stage.PROSPECTING)
        deal = opportunity_services.create_opportunity(
            by=self.by,
            customer_id=customer.pk,
            owner=owner if owner != self.by else None,
            stage=stage if stage in OPEN_STAGES else Stage.NEGOTIATION,
            **values,
        )
        if stage not in OPEN_STAGES:
            # A deal won or lost before the import: recorded as such, with where it came from.
            deal = opportunity_services.change_stage(
                opportunity_id=deal.pk, by=self.by, to=stage, note=_("Imported.")
            )
        return RowResult(Outcome.CREATED, record=deal)


class CommunicationLoader(Loader):
    def store(self, values: dict) -> RowResult:
        customer = self.customer(values)
        deal_name = values.pop("opportunity", None)
        opportunity_id = None
        if deal_name:
            deals = Opportunity.objects.visible_to(self.by).filter(
                customer=customer, name__iexact=deal_name
            )
            found = list(deals.values_list("pk", flat=True)[:2])
            if len(found) != 1:
                raise ValidationError(
                    _("Customer “%(customer)s” has no single opportunity named “%(name)s”.")
                    % {"customer": customer.name, "name": deal_name}
                )
            opportunity_id = found[0]
        values.setdefault("channel", "other")
        communication = communication_services.create_communication(
            by=self.by, customer_id=customer.pk, opportunity_id=opportunity_id, **values
        )
        return RowResult(Outcome.CREATED, record=communication)


class ProductLoader(Loader):
    """Catalogue rows, matched by SKU (case and spaces do not count): a SKU already in the
    catalogue is skipped or updated as the run says; "create anyway" cannot make a second
    product with the same SKU, so such a row fails and says why. Only people who may add
    products (sales managers) import them: products.services refuses anyone else."""

    def store(self, values: dict) -> RowResult:
        sku = normalize_sku(values.get("sku", ""))
        values["sku"] = sku
        existing = Product.objects.select_for_update().filter(sku=sku).first()
        if existing is None:
            product = product_services.create_product(by=self.by, **values)
            return RowResult(Outcome.CREATED, record=product)
        mode = self.run.on_duplicate
        if mode == OnDuplicate.CREATE:
            return RowResult(
                Outcome.FAILED,
                _("SKU %(sku)s is already in the catalogue; choose to skip or update.")
                % {"sku": sku},
            )
        if mode == OnDuplicate.SKIP:
            return RowResult(
                Outcome.SKIPPED,
                _("SKU %(sku)s is already in the catalogue (“%(name)s”).")
                % {"sku": sku, "name": existing.name},
                record=existing,
            )
        previous = {name: getattr(existing, name) for name in values}
        changed = {name: value for name, value in values.items() if previous[name] != value}
        product = product_services.update_product(product_id=existing.pk, by=self.by, **changed)
        return RowResult(
            Outcome.UPDATED,
            _("Updated product %(sku)s.") % {"sku": sku},
            record=product,
            previous={name: _jsonable(previous[name]) for name in changed},
        )


LOADERS = {
    "customers": CustomerLoader,
    "opportunities": OpportunityLoader,
    "communications": CommunicationLoader,
    "products": ProductLoader,
}


def _jsonable(value):
    return (
        value if value is None or isinstance(value, str | int | float | bool | list) else str(value)
    )
