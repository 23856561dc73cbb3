"""Taking an import back as a whole: what it created is deleted, what it updated gets its
earlier values again, while nothing of it has been changed or built upon since.

"Since" is the run's end: a record it touched whose ``updated_at`` is later, or a record
someone added that points at one it created (a deal on an imported customer, a quote on an
imported deal), makes the undo refuse with the reason, because taking the import back would
then take other people's work with it.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm_log.models import StateLog

from crm.roles import is_manager
from customers import shared_keys
from customers.models import Customer
from imports.models import ImportRow, ImportRun

Outcome = ImportRow.Outcome


def undo_refusal(run: ImportRun, user) -> str:
    """Why ``user`` cannot undo ``run`` now; empty when they can."""
    if run.created_by_id != user.pk and not is_manager(user):
        return _("Only the person who imported the file or a sales manager can undo it.")
    if run.undone_at is not None:
        return _("This import has already been undone.")
    if run.status != ImportRun.Status.DONE:
        return _("Only a finished import can be undone.")
    for model, ids in _touched(run, (Outcome.CREATED, Outcome.UPDATED)):
        if (
            hasattr(model, "updated_at")
            and model._base_manager.filter(pk__in=ids, updated_at__gt=run.finished_at).exists()
        ):
            return _("Some of its %(records)s have been changed since the import.") % {
                "records": model._meta.verbose_name_plural
            }
    created = dict(_touched(run, (Outcome.CREATED,)))
    for model, ids in created.items():
        for relation in model._meta.related_objects:
            if relation.many_to_many or relation.related_model not in _our_models():
                continue
            others = relation.related_model._base_manager.filter(
                **{f"{relation.field.name}__in": ids}
            )
            if relation.related_model in created:
                others = others.exclude(pk__in=created[relation.related_model])
            if others.exists():
                return _("%(records)s have been added to what it created since the import.") % {
                    "records": str(relation.related_model._meta.verbose_name_plural).capitalize()
                }
    return ""


def undo_import(*, run_id, by) -> ImportRun:
    """Undo ``run`` as a whole, in one transaction, or refuse with the reason."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or (run.created_by_id != by.pk and not is_manager(by)):
            raise ImportRun.DoesNotExist
        if reason := undo_refusal(run, by):
            raise ValidationError(reason)
        _restore_updated(run)
        _delete_created(run)
        run.undone_at, run.undone_by = timezone.now(), by
        run.save(update_fields=["undone_at", "undone_by"])
    return run


def _touched(run: ImportRun, outcomes) -> list[tuple[type, list]]:
    """(model, ids) of the records the run's rows with ``outcomes`` touched, the contacts
    made with customers included."""
    rows = ImportRow.objects.filter(run=run, outcome__in=outcomes)
    ids: dict[str, list] = {}
    for label, record_id, contact_id in rows.values_list("record_model", "record_id", "contact_id"):
        if record_id is not None:
            ids.setdefault(label, []).append(record_id)
        if contact_id is not None:
            ids.setdefault("customers.contact", []).append(contact_id)
    return [(apps.get_model(label), found) for label, found in ids.items()]


def _our_models() -> set:
    ours = {"customers", "opportunities", "communications", "products", "quotes", "orders"}
    return {model for model in apps.get_models() if model._meta.app_label in ours}


def _restore_updated(run: ImportRun) -> None:
    for row in ImportRow.objects.filter(run=run, outcome=Outcome.UPDATED).order_by("row_number"):
        model = apps.get_model(row.record_model)
        record = model._base_manager.select_for_update().filter(pk=row.record_id).first()
        if record is None:
            continue
        previous = dict(row.previous)
        tags = previous.pop("tags", None)
        for name, value in previous.items():
            setattr(record, name, value)
        record.save()
        if tags is not None:
            record.tags.set(tags)


def _delete_created(run: ImportRun) -> None:
    # Dependants before what they point at: communications, deals, contacts, customers.
    order = ["communication", "opportunity", "contact", "customer", "product"]
    created = sorted(
        _touched(run, (Outcome.CREATED,)),
        key=lambda item: order.index(item[0]._meta.model_name),
    )
    for model, ids in created:
        StateLog.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id__in=ids
        ).delete()
        records = model._base_manager.filter(pk__in=ids)
        keys = (
            shared_keys.keys_of(records.only(*Customer.KEYS.values())) if model is Customer else {}
        )
        records.delete()
        shared_keys.refresh(keys)
