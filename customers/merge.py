"""Merging a duplicate into the customer kept (the "survivor"): one customer again, with the
history of both.

The records of the other customer move to the survivor through the customers' relations
(``customers.services.customer_records``), since the apps that own them build on this one.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import Contact, Customer, CustomerMerge
from customers.services import CUSTOMER_FIELDS, customer_records, records_follow_owner
from webhooks import outbox
from webhooks.events import EventType

#: The fields whose value a merge chooses, each from the survivor or the other customer.
MERGE_FIELDS = (*CUSTOMER_FIELDS, "owner")
SURVIVOR, OTHER = "survivor", "other"


def merge_customers(*, survivor_id: int, other_id: int, by, keep: dict | None = None) -> Customer:
    """Merge customer ``other_id`` into ``survivor_id`` as ``by``; return the survivor.

    A manager merges any two customers, a salesperson two of their own: a customer ``by``
    may not see is not found (``Customer.DoesNotExist``), as in every service. Both rows are
    locked in id order (two merges of the same pair queue instead of deadlocking) and all
    happens in one transaction; a merged customer cannot be merged again.

    ``keep`` maps fields of ``MERGE_FIELDS`` to "survivor" or "other"; a field not named
    keeps the survivor's value, or takes the other's when the survivor's is empty (the owner
    only changes when a manager asks). The other's contacts, deals, communications, quotes
    and orders move to the survivor unchanged (an approval waiting stays waiting, with its
    submitter), their copy of the customer's owner following the survivor's owner; tags
    unite. The other is archived with ``merged_into`` set, and a `CustomerMerge` on the
    survivor records who merged what, the values taken and the records moved.
    """
    keep = _checked(keep or {})
    if survivor_id == other_id:
        raise ValidationError(_("A customer cannot be merged with itself."))
    with transaction.atomic():
        locked = (
            Customer.objects.visible_to(by)
            .select_for_update()
            .filter(pk__in=[survivor_id, other_id])
            .order_by("pk")
        )
        customers = {customer.pk: customer for customer in locked}
        if len(customers) < 2:
            raise Customer.DoesNotExist(_("Customer not found."))
        survivor, other = customers[survivor_id], customers[other_id]
        for customer in (survivor, other):
            if customer.merged_into_id is not None:
                raise ValidationError(
                    _("“%(name)s” has already been merged into another customer.")
                    % {"name": customer.name}
                )
        if survivor.is_archived:
            raise ValidationError(_("The customer to keep is archived: restore it first."))
        changes = _take_values(survivor, other, keep)
        survivor.save()
        moved = _move_records(other, survivor)
        survivor.tags.add(*other.tags.all())
        other.merged_into = survivor
        other.archived_at = other.archived_at or timezone.now()
        other.save(update_fields=["merged_into", "archived_at", "updated_at"])
        CustomerMerge.objects.create(
            survivor=survivor,
            merged=other,
            merged_name=other.name,
            merged_number=other.pk,
            by=by,
            changes=changes,
            moved=moved,
        )
        # Both changed: the survivor took values, the other is archived (merged_into_id).
        outbox.record_many(EventType.CUSTOMER_UPDATED, [survivor, other])
    return survivor


def _checked(keep: dict) -> dict:
    unknown = set(keep) - set(MERGE_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    wrong = sorted(name for name, side in keep.items() if side not in (SURVIVOR, OTHER))
    if wrong:
        raise ValidationError(
            _("Choose the customer kept or the other one for: %(fields)s")
            % {"fields": ", ".join(wrong)}
        )
    return keep


def default_side(survivor, other, name: str) -> str:
    """The survivor's value, unless it is empty and the other's is not."""
    if name == "owner":
        return SURVIVOR
    mine, theirs = getattr(survivor, name), getattr(other, name)
    return OTHER if mine in ("", None) and theirs not in ("", None) else SURVIVOR


def _take_values(survivor, other, keep: dict) -> dict:
    """Set the survivor's fields as chosen; {field: [before, after]} of those that change."""
    changes = {}
    for name in MERGE_FIELDS:
        attname = survivor._meta.get_field(name).attname  # owner: owner_id
        side = keep.get(name) or default_side(survivor, other, name)
        before, after = getattr(survivor, attname), getattr(other, attname)
        if side == OTHER and before != after:
            owners = name == "owner"
            changes[name] = [str(survivor.owner), str(other.owner)] if owners else [before, after]
            setattr(survivor, attname, after)
    return changes


def _move_records(other, survivor) -> dict[str, int]:
    """Move ``other``'s contacts and records to ``survivor``: {"app_label.model": count}."""
    now = timezone.now()
    # Only one primary contact per customer: the survivor's stays primary.
    contacts = Contact.objects.filter(customer=other)
    if survivor.contacts.filter(is_primary=True).exists():
        contacts.filter(is_primary=True).update(is_primary=False)
    moved = {Contact._meta.label_lower: contacts.update(customer=survivor, updated_at=now)}
    # The survivor's own records follow a new owner first (PostgreSQL's foreign key has
    # already cascaded them; elsewhere this moves them).
    records_follow_owner([survivor.pk], survivor.owner_id)
    for model in customer_records():
        moved[model._meta.label_lower] = model.objects.filter(customer=other).update(
            customer=survivor, customer_owner=survivor.owner_id, updated_at=now
        )
    return {label: count for label, count in moved.items() if count}
