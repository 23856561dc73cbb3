"""The loaders' common part: what became of a row, why a row was refused, and the base
class that stores rows through the services as the importer."""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from crm.roles import is_manager
from customers.duplicates import email_key, name_key
from customers.models import Customer
from imports.models import ImportRow

Outcome = ImportRow.Outcome
#: How a deal or communication row names its customer, in order of preference: the row's
#: field, the customer's column it is compared with, and how a value becomes that column's key.
CUSTOMER_KEYS = (
    ("customer_external_id", "external_id", str.strip),
    ("customer_email", "email_key", email_key),
    ("customer_name", "name_key", name_key),
)


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
        # Read here, as rows are checked in a process with no view of this transaction.
        self.one_owner = run.owner if run.owner_id else None
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
        if self.one_owner is not None:
            return self.one_owner
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


def jsonable(value):
    return (
        value if value is None or isinstance(value, str | int | float | bool | list) else str(value)
    )
