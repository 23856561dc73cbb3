"""What an import can fill, per kind of record, and one file row turned into those values.

Three kinds: "customers" (a customer and, on the same row, one contact), "opportunities"
and "communications" (each finds its customer by name, e-mail or external id). A mapping
is ``{header: field name or None}``; `guess_mapping` proposes one from the headers.

`convert_row` returns values keyed by field name: a customer's own fields by their model
names, the row's contact as ``contact_*``, the customer a deal or communication belongs
to as ``customer_name`` / ``customer_email`` / ``customer_external_id`` (found later, in
batches), the owner as a User, tags as a list of names. Nothing here touches the database
but `Lookups.load()` (one query for the users).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communications.models import Communication
from customers.models import Contact, Customer
from imports import aliases, headers
from imports.tables import is_blank
from imports.text import fold
from imports.values import (
    ChoiceReader,
    OwnerLookup,
    parse_amount,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_email,
    parse_owner,
    parse_percent,
    parse_phone,
    parse_rate,
    parse_tags,
    parse_text,
    parse_url,
)
from opportunities.models import Opportunity
from products.models import Product

KINDS = {
    "customers": gettext_lazy("Customers and contacts"),
    "opportunities": gettext_lazy("Opportunities"),
    "communications": gettext_lazy("Communications"),
    "products": gettext_lazy("Products (catalogue)"),
}
#: Kinds only some people may import, with the permission it takes.
KIND_PERMISSIONS = {"products": "products.add_product"}
#: Proposed model field for matching deals and communications to customers imported from
#: another system; `customer_external_id` values are meant to be compared with it.
EXTERNAL_ID_MAX_LENGTH = 100


@dataclass(frozen=True)
class Lookups:
    """What converting rows needs from the database, read once per import."""

    owners: OwnerLookup
    #: How to read 01/03/2026: True day first, False month first, None only when unmistakable.
    day_first: bool | None = None

    @classmethod
    def load(cls, *, day_first: bool | None = None) -> "Lookups":
        return cls(owners=OwnerLookup.load(), day_first=day_first)


@dataclass(frozen=True)
class ImportField:
    name: str
    label: Promise
    read: Callable[[object, Lookups], object]
    #: ``(value, label)`` of a field chosen from a list.
    choices: tuple = ()

    def shown(self, value) -> object:
        """A value ``read`` returned, as the preview shows it: a choice by its label (in the
        user's language), tags joined, an owner by name, dates as ISO."""
        if self.choices:
            return dict(self.choices).get(value, value)
        if isinstance(value, list):
            return ", ".join(map(str, value))
        if isinstance(value, AbstractBaseUser):
            return value.get_full_name() or value.get_username()
        if isinstance(value, datetime):
            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        if isinstance(value, date):
            return value.isoformat()
        return value


@dataclass(frozen=True)
class Requirement:
    """Fields of which at least one must be mapped, and filled on every row."""

    fields: tuple[str, ...]
    label: Promise


def _text(model, name: str):
    max_length = model._meta.get_field(name).max_length
    return lambda value, lookups: parse_text(value, max_length=max_length)


def _chosen(name: str, label: Promise, model) -> ImportField:
    """A field read from the model field's choices (by value, label or alias)."""
    reader = ChoiceReader.for_field(model, name, aliases=aliases.CHOICES.get((model, name), ()))
    return ImportField(
        name, label, lambda value, lookups: reader.parse(value), choices=tuple(reader.choices)
    )


def _external_id(value, lookups):
    return parse_text(value, max_length=EXTERNAL_ID_MAX_LENGTH)


def _owner(value, lookups):
    return parse_owner(value, lookups.owners)


def _date(value, lookups):
    return parse_date(value, day_first=lookups.day_first)


def _datetime(value, lookups):
    return parse_datetime(value, day_first=lookups.day_first)


def _plain(parse):
    return lambda value, lookups: parse(value)


CUSTOMER_REFERENCE = (
    ImportField("customer_name", gettext_lazy("Customer name"), _text(Customer, "name")),
    ImportField("customer_email", gettext_lazy("Customer e-mail"), _plain(parse_email)),
    ImportField("customer_external_id", gettext_lazy("Customer external id"), _external_id),
)
FIELDS = {
    "customers": (
        ImportField("name", gettext_lazy("Name"), _text(Customer, "name")),
        _chosen("kind", gettext_lazy("Kind"), Customer),
        _chosen("industry", gettext_lazy("Industry"), Customer),
        _chosen("source", gettext_lazy("Source channel"), Customer),
        _chosen("status", gettext_lazy("Status"), Customer),
        _chosen("rating", gettext_lazy("Rating"), Customer),
        ImportField("phone", gettext_lazy("Phone"), _plain(parse_phone)),
        ImportField("email", gettext_lazy("E-mail"), _plain(parse_email)),
        ImportField("website", gettext_lazy("Website"), _plain(parse_url)),
        ImportField("address", gettext_lazy("Address"), _text(Customer, "address")),
        ImportField("needs", gettext_lazy("Needs"), _text(Customer, "needs")),
        ImportField("notes", gettext_lazy("Notes"), _text(Customer, "notes")),
        ImportField("owner", gettext_lazy("Owner"), _owner),
        ImportField("tags", gettext_lazy("Tags"), _plain(parse_tags)),
        ImportField("external_id", gettext_lazy("External id"), _external_id),
        ImportField("contact_name", gettext_lazy("Contact name"), _text(Contact, "name")),
        ImportField("contact_title", gettext_lazy("Contact title"), _text(Contact, "title")),
        ImportField("contact_email", gettext_lazy("Contact e-mail"), _plain(parse_email)),
        ImportField("contact_phone", gettext_lazy("Contact phone"), _plain(parse_phone)),
    ),
    "opportunities": (
        *CUSTOMER_REFERENCE,
        ImportField("name", gettext_lazy("Name"), _text(Opportunity, "name")),
        ImportField("amount", gettext_lazy("Amount"), _plain(parse_amount)),
        _chosen("stage", gettext_lazy("Stage"), Opportunity),
        ImportField("probability", gettext_lazy("Probability (%)"), _plain(parse_percent)),
        ImportField("expected_close_date", gettext_lazy("Expected close date"), _date),
        ImportField("owner", gettext_lazy("Owner"), _owner),
        ImportField("next_step", gettext_lazy("Next step"), _text(Opportunity, "next_step")),
        ImportField("description", gettext_lazy("Description"), _text(Opportunity, "description")),
    ),
    "communications": (
        *CUSTOMER_REFERENCE,
        ImportField("opportunity", gettext_lazy("Opportunity"), _text(Opportunity, "name")),
        _chosen("channel", gettext_lazy("Channel"), Communication),
        _chosen("direction", gettext_lazy("Direction"), Communication),
        ImportField("subject", gettext_lazy("Subject"), _text(Communication, "subject")),
        ImportField("content", gettext_lazy("Content"), _text(Communication, "content")),
        ImportField("occurred_at", gettext_lazy("When"), _datetime),
        ImportField("follow_up_on", gettext_lazy("Follow up on"), _date),
    ),
    "products": (
        ImportField("sku", gettext_lazy("SKU"), _text(Product, "sku")),
        ImportField("name", gettext_lazy("Name"), _text(Product, "name")),
        ImportField("category", gettext_lazy("Category"), _text(Product, "category")),
        ImportField("unit", gettext_lazy("Unit"), _text(Product, "unit")),
        ImportField("list_price", gettext_lazy("List price"), _plain(parse_amount)),
        ImportField("cost_price", gettext_lazy("Cost price"), _plain(parse_amount)),
        ImportField("tax_rate", gettext_lazy("Tax %"), _plain(parse_rate)),
        ImportField("is_active", gettext_lazy("Active"), _plain(parse_bool)),
        ImportField("description", gettext_lazy("Description"), _text(Product, "description")),
    ),
}
CUSTOMER_REQUIRED = Requirement(
    ("customer_name", "customer_email", "customer_external_id"),
    gettext_lazy("Customer (its name, e-mail or external id)"),
)
REQUIREMENTS = {
    "customers": (Requirement(("name",), gettext_lazy("Name")),),
    "opportunities": (CUSTOMER_REQUIRED,),
    "communications": (
        CUSTOMER_REQUIRED,
        Requirement(("subject", "content"), gettext_lazy("Subject or content")),
    ),
    "products": (Requirement(("sku",), gettext_lazy("SKU")),),
}
CONTACT_DETAILS = ("contact_title", "contact_email", "contact_phone")


def fields_of(kind: str) -> tuple[ImportField, ...]:
    """The fields an import of ``kind`` fills, in the order the mapping page lists them."""
    try:
        return FIELDS[kind]
    except KeyError:
        raise ValueError(f"Unknown import kind {kind!r}; one of {', '.join(FIELDS)}.") from None


def field_choices(kind: str) -> list[tuple[str, Promise]]:
    """``(name, label)`` of each field, for the mapping page's selects."""
    return [(field.name, field.label) for field in fields_of(kind)]


_words_cache: dict[str, dict[str, frozenset[str]]] = {}


def field_words(kind: str) -> dict[str, frozenset[str]]:
    """Each field's header words, folded: its list in `imports.headers` and its label in
    every language of the site (read on first use, once the catalogues are loaded)."""
    if kind not in _words_cache:
        words = {}
        for field in fields_of(kind):
            labels = []
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    labels.append(str(field.label))
            listed = headers.WORDS[kind].get(field.name, ())
            words[field.name] = frozenset(filter(None, map(fold, (*listed, *labels))))
        _words_cache[kind] = words
    return _words_cache[kind]


def guess_mapping(kind: str, header_names: list[str]) -> dict[str, str | None]:
    """``{header: field name or None}`` for each header, from English and Chinese header
    words, whatever the case, width, spaces or punctuation; each field used at most once
    (see `imports.headers`)."""
    return headers.match_headers(header_names, field_words(kind))


def required_missing(kind: str, mapping: dict) -> list[Requirement]:
    """The requirements of ``kind`` that no mapped column meets.

    A contact's details (title, e-mail, phone) need the contact's name mapped as well.
    """
    mapped = {name for name in mapping.values() if name}
    requirements = list(REQUIREMENTS[kind])
    if kind == "customers" and mapped & set(CONTACT_DETAILS):
        requirements.append(Requirement(("contact_name",), gettext_lazy("Contact name")))
    return [each for each in requirements if not mapped & set(each.fields)]


def mapping_errors(kind: str, mapping: dict) -> list[str]:
    """What is wrong with a mapping as a whole: unknown fields, a field mapped twice, and
    required fields not mapped. Empty when the import can run."""
    names = {field.name: field.label for field in fields_of(kind)}
    errors, seen = [], set()
    for header, name in mapping.items():
        if not name:
            continue
        if name not in names:
            errors.append(
                _("Column “%(column)s”: there is no field “%(field)s” to fill.")
                % {"column": header, "field": name}
            )
        elif name in seen:
            errors.append(
                _("%(field)s is chosen for more than one column.") % {"field": names[name]}
            )
        seen.add(name)
    errors += [
        _("Choose a column for: %(field)s.") % {"field": requirement.label}
        for requirement in required_missing(kind, mapping)
    ]
    return errors


def convert_row(kind: str, mapping: dict, raw: dict, *, lookups: Lookups) -> tuple[dict, list[str]]:
    """The values of one file row (``raw``: header -> cell), and every problem in it.

    Empty cells give no value (the field keeps its default, or an update leaves it as it
    is). Each error names its column: "Column “Phone”: “12” is not a phone number."
    ``mapping`` is one `mapping_errors` has nothing to say about.
    """
    fields = {field.name: field for field in fields_of(kind)}
    if unknown := {name for name in mapping.values() if name} - fields.keys():
        raise ValueError(f"Fields {sorted(unknown)} are not fields of a {kind} import.")
    values, errors, failed = {}, [], set()
    column_of = {}
    for header, name in mapping.items():
        if not name:
            continue
        column_of[name] = header
        value = raw.get(header)
        if is_blank(value):
            continue
        try:
            values[name] = fields[name].read(value, lookups)
        except ValidationError as error:
            failed.add(name)
            errors += [_column_error(header, message) for message in error.messages]
    for requirement in REQUIREMENTS[kind]:
        names = [name for name in requirement.fields if name in column_of]
        if names and not any(name in values or name in failed for name in names):
            errors.append(_missing(requirement, [column_of[name] for name in names]))
    if any(name in values for name in CONTACT_DETAILS) and not {"contact_name"} & (
        values.keys() | failed
    ):
        header = column_of.get("contact_name")
        errors.append(
            _column_error(
                header, _("the contact's name is needed with their title, e-mail or phone.")
            )
            if header
            else _("The contact's name is needed with their title, e-mail or phone.")
        )
    return values, errors


def _column_error(header: str, message: str) -> str:
    return _("Column “%(column)s”: %(message)s") % {"column": header, "message": message}


def _missing(requirement: Requirement, columns: list[str]) -> str:
    if len(columns) == 1:
        return _column_error(columns[0], _("a value is needed."))
    return _("%(requirement)s: one of the columns %(columns)s needs a value.") % {
        "requirement": requirement.label,
        "columns": ", ".join(f"“{column}”" for column in columns),
    }
