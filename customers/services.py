"""Every change to customers and contacts. Views, admin actions and the API call these."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.bulk_insert import insert_all
from crm.models import CustomerRecord
from crm.roles import is_manager
from customers import shared_keys
from customers.duplicates import Duplicates, find_matches
from customers.models import Contact, Customer, Tag
from webhooks import outbox
from webhooks.events import EventType

CUSTOMER_FIELDS = (
    "name",
    "kind",
    "industry",
    "source",
    "status",
    "rating",
    "phone",
    "email",
    "website",
    "address",
    "needs",
    "notes",
    "external_id",
)
CONTACT_FIELDS = ("name", "title", "email", "phone", "is_primary")


def find_duplicates(*, email: str, phone: str, by, exclude_pk: int | None = None) -> Duplicates:
    """Customers with the same e-mail or phone, for the warning on the customer form: looked
    for across all customers, disclosed only as ``by`` may see them (customers.duplicates)."""
    return find_matches(by=by, email=email, phone=phone, exclude_pk=exclude_pk, similar=False)


def _apply(instance, values: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    for name, value in values.items():
        setattr(instance, name, value)


def create_customer(*, by, tags=(), owner=None, **values) -> Customer:
    """Create a customer owned by ``by`` (a manager may name another owner).

    The values are validated like the form's; nothing is saved when one is wrong.
    """
    owner = owner or by
    if owner != by and not is_manager(by):
        raise PermissionDenied(_("Only a sales manager can create a customer for someone else."))
    customer = Customer(owner=owner)
    _apply(customer, values, CUSTOMER_FIELDS)
    customer.full_clean()
    with transaction.atomic():
        customer.save()
        customer.tags.set(tags)
        outbox.record(EventType.CUSTOMER_CREATED, customer)
    return customer


def tags_named(names, *, by, known: dict | None = None) -> list[Tag]:
    """The tags of ``names`` (matched whatever the case), in that order. A name no tag has
    becomes a new tag when ``by`` may add tags (``customers.add_tag``: managers); for anyone
    else it is a ``ValidationError``, and nothing is made. ``known`` (casefolded name: tag)
    remembers tags across calls (an import's rows)."""
    known = {} if known is None else known
    tags = []
    for name in names:
        name = name.strip()
        if not name:
            continue
        tag = known.get(name.casefold()) or Tag.objects.filter(name__iexact=name).first()
        if tag is None:
            if not by.has_perm("customers.add_tag"):
                raise ValidationError(
                    _("There is no tag “%(name)s”; a manager adds tags.") % {"name": name}
                )
            tag = Tag(name=name)
            tag.full_clean()
            tag.save()
        known[name.casefold()] = tag
        if tag not in tags:
            tags.append(tag)
    return tags


def create_customers(*, by, rows: list[dict]) -> list:
    """Many customers at once (an import), each checked like `create_customer`, the valid
    ones inserted together (crm.bulk_insert): one statement for the customers, one for their
    contacts, one for their tags.

    A row is the customer's values plus ``owner`` (a user or None: ``by``), ``tags`` (Tag
    objects) and ``contact`` (a dict of contact values, or None). The answer is, per row,
    the saved customer (its ``new_contact`` is the contact made with it, or None) or the
    ``ValidationError`` / ``PermissionDenied`` that refused it; nothing of a refused row is
    stored. A row that breaks a constraint only the database checks (a unique key) fails
    the whole call with the ``DatabaseError``; the caller tries its rows one by one.
    """
    results = check_customers(by=by, rows=rows)
    insert_customers([customer for customer in results if isinstance(customer, Customer)])
    return results


def check_customers(*, by, rows: list[dict]) -> list:
    """The first half of `create_customers`, without the database: per row, the unsaved
    customer (its ``new_contact`` and ``new_tags`` set) or the error that refuses it. An
    import checks its next batch with this while the database stores the one before."""
    results = []
    for row in rows:
        row = dict(row)
        owner, tags, contact = (
            row.pop("owner", None) or by,
            row.pop("tags", ()),
            row.pop("contact", None),
        )
        try:
            if owner != by and not is_manager(by):
                raise PermissionDenied(
                    _("Only a sales manager can create a customer for someone else.")
                )
            customer = Customer(owner=owner)
            _apply(customer, row, CUSTOMER_FIELDS)
            _check_given(customer, row)
            person = None
            if contact:
                person = Contact(customer=customer, is_primary=True)
                _apply(person, contact, CONTACT_FIELDS)
                _check_given(person, contact)
        except (ValidationError, PermissionDenied) as error:
            results.append(error)
            continue
        customer.set_keys()
        customer.new_contact, customer.new_tags = person, tags
        results.append(customer)
    return results


def insert_customers(customers: list[Customer]) -> None:
    """The second half of `create_customers`: the customers `check_customers` passed, with
    their contacts and tags, inserted in one transaction."""
    with transaction.atomic():
        insert_all(customers)
        shared_keys.refresh(shared_keys.keys_of(customers))
        people = []
        for customer in customers:
            if customer.new_contact is not None:
                customer.new_contact.customer_id = customer.pk
                people.append(customer.new_contact)
        insert_all(people)
        Through = Customer.tags.through
        Through.objects.bulk_create(
            Through(customer_id=customer.pk, tag_id=tag.pk)
            for customer in customers
            for tag in customer.new_tags
        )
        outbox.record_many(EventType.CUSTOMER_CREATED, customers)


def _check_given(instance, values: dict) -> None:
    """The checks of ``full_clean`` on the fields ``values`` gives; the others keep their
    defaults, which pass them. Uniqueness and constraints are the database's to check for
    the whole statement: asking per row would cost a query each."""
    instance.full_clean(
        exclude=[field.name for field in instance._meta.fields if field.name not in values],
        validate_unique=False,
        validate_constraints=False,
    )


def update_customer(*, customer_id: int, by, tags=None, **values) -> Customer:
    """Change a customer ``by`` may see; the owner and the archive state are not changed here."""
    with transaction.atomic():
        customer = Customer.objects.visible_to(by).select_for_update().get(pk=customer_id)
        _apply(customer, values, CUSTOMER_FIELDS)
        customer.full_clean()
        customer.save()
        if tags is not None:
            customer.tags.set(tags)
        outbox.record(EventType.CUSTOMER_UPDATED, customer)
    return customer


def archive_customer(*, customer_id: int, by) -> Customer:
    """Hide a customer from the working lists; salespeople archive rather than delete."""
    with transaction.atomic():
        customer = Customer.objects.visible_to(by).select_for_update().get(pk=customer_id)
        if customer.archived_at is None:
            customer.archived_at = timezone.now()
            customer.save(update_fields=["archived_at", "updated_at"])
            outbox.record(EventType.CUSTOMER_UPDATED, customer)
    return customer


def restore_customer(*, customer_id: int, by) -> Customer:
    with transaction.atomic():
        customer = Customer.objects.visible_to(by).select_for_update().get(pk=customer_id)
        if customer.archived_at is not None:
            customer.archived_at = None
            customer.save(update_fields=["archived_at", "updated_at"])
            outbox.record(EventType.CUSTOMER_UPDATED, customer)
    return customer


def reassign_customers(*, customer_ids, new_owner, by) -> int:
    """Hand customers to another salesperson; only managers may. Returns how many moved."""
    if not is_manager(by):
        raise PermissionDenied(_("Only a sales manager can reassign customers."))
    if not get_user_model().objects.filter(pk=new_owner.pk, is_active=True).exists():
        raise ValidationError(_("The new owner must be an active user."))
    customer_ids = list(customer_ids)
    with transaction.atomic():
        moving = Customer.objects.filter(pk__in=customer_ids).exclude(owner=new_owner)
        keys = shared_keys.keys_of(moving.only(*Customer.KEYS.values()))
        moved = moving.update(owner=new_owner, updated_at=timezone.now())
        shared_keys.refresh(keys)
        # Their deals, communications, quotes and orders follow (on PostgreSQL the foreign
        # key has already cascaded; elsewhere this moves them).
        records_follow_owner(customer_ids, new_owner.pk)
    return moved


def records_follow_owner(customer_ids, owner_id: int) -> None:
    """Give the records of these customers ``owner_id`` as their copy of the customer's owner."""
    for model in customer_records():
        model.objects.filter(customer_id__in=customer_ids).exclude(
            customer_owner_id=owner_id
        ).update(customer_owner_id=owner_id)


def customer_records() -> list:
    """The models that copy their customer's owner (crm.models.CustomerRecord); found through
    the customer's relations, since those apps build on this one and not the other way."""
    return [
        relation.related_model
        for relation in Customer._meta.related_objects
        if issubclass(relation.related_model, CustomerRecord) and relation.field.name == "customer"
    ]


def _clear_other_primaries(contact: Contact) -> None:
    if contact.is_primary:
        Contact.objects.filter(customer_id=contact.customer_id, is_primary=True).exclude(
            pk=contact.pk
        ).update(is_primary=False)


def add_contact(*, customer_id: int, by, **values) -> Contact:
    """Add a person to a customer ``by`` may see; a new primary contact replaces the old one."""
    with transaction.atomic():
        customer = Customer.objects.visible_to(by).select_for_update().get(pk=customer_id)
        contact = Contact(customer=customer)
        _apply(contact, values, CONTACT_FIELDS)
        contact.full_clean(validate_constraints=False)
        _clear_other_primaries(contact)
        contact.save()
    return contact


def update_contact(*, contact_id: int, by, **values) -> Contact:
    with transaction.atomic():
        contact = Contact.objects.visible_to(by).select_for_update().get(pk=contact_id)
        Customer.objects.select_for_update().filter(pk=contact.customer_id).first()
        _apply(contact, values, CONTACT_FIELDS)
        contact.full_clean(validate_constraints=False)
        _clear_other_primaries(contact)
        contact.save()
    return contact


def remove_contact(*, contact_id: int, by) -> Customer:
    """Delete a contact; returns its customer."""
    with transaction.atomic():
        contact = Contact.objects.visible_to(by).select_related("customer").get(pk=contact_id)
        customer = contact.customer
        contact.delete()
    return customer
