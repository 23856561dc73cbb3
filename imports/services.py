"""Every change to imports: upload, mapping, start, undo. Views, the command and the Python
API call these; the rows themselves are stored by imports.running on the worker."""

import hashlib
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm import background
from crm.roles import is_manager
from imports import running
from imports.fields import KIND_PERMISSIONS, KINDS, guess_mapping, mapping_errors
from imports.models import ImportRow, ImportRun, OnDuplicate, SavedMapping
from imports.reading import ImportFileError, read_table
from imports.text import fold


def visible_imports(user):
    """A salesperson's own imports; a manager's: everyone's."""
    runs = ImportRun.objects.select_related("created_by")
    return runs if is_manager(user) else runs.filter(created_by=user)


def headers_key(headers: list[str]) -> str:
    return hashlib.sha256("\x1f".join(fold(header) for header in headers).encode()).hexdigest()


def upload(*, by, kind: str, file, file_name: str) -> ImportRun:
    """Keep an uploaded file for import, with its columns and a first mapping: the user's
    own for files with these headers, else one guessed from the headers. A file that cannot
    be read raises ValidationError with the reason, and nothing is kept."""
    if kind not in KINDS:
        raise ValidationError(
            {"kind": _("Choose what the file holds: %(kinds)s.") % {"kinds": ", ".join(KINDS)}}
        )
    permission = KIND_PERMISSIONS.get(kind)
    if permission and not by.has_perm(permission):
        raise PermissionDenied(
            _("Only a sales manager can import %(kind)s.") % {"kind": KINDS[kind]}
        )
    try:
        with read_table(file, filename=file_name) as table:
            headers, total = table.headers, table.total_rows
    except ImportFileError as error:
        raise ValidationError({"file": error.message}) from None
    saved = SavedMapping.objects.filter(user=by, kind=kind, headers_key=headers_key(headers))
    mapping = next((m.mapping for m in saved), None) or guess_mapping(kind, headers)
    file.seek(0)
    run = ImportRun(
        kind=kind,
        created_by=by,
        file_name=file_name[:255],
        headers=headers,
        mapping={header: mapping.get(header) for header in headers},
        total_rows=total,
    )
    run.file.save(file_name, file, save=False)
    run.save()
    return run


def _editable(run_id, by) -> ImportRun:
    run = ImportRun.objects.select_for_update().filter(pk=run_id, created_by=by).first()
    if run is None:
        raise ImportRun.DoesNotExist
    if run.confirmed_at is not None:
        raise ValidationError(_("This import has started; its mapping can no longer change."))
    return run


def set_mapping(
    *, run_id, by, mapping: dict, on_duplicate=OnDuplicate.SKIP, owner=None, day_first=None
) -> ImportRun:
    """Choose the field of each column (``{header: field or None}``) and how the run treats
    duplicates and owners; remembered for the user's next file with the same columns."""
    with transaction.atomic():
        run = _editable(run_id, by)
        mapping = {header: mapping.get(header) or None for header in run.headers}
        if errors := mapping_errors(run.kind, mapping):
            raise ValidationError({"mapping": errors})
        if owner is not None and owner != by and not is_manager(by):
            raise PermissionDenied(_("Only a sales manager can import records for others."))
        if not is_manager(by) and "owner" in mapping.values():
            raise ValidationError({"mapping": _("Only a sales manager can map an owner column.")})
        if on_duplicate not in OnDuplicate.values:
            raise ValidationError(
                {"on_duplicate": _("Say skip, update or create for rows that match a customer.")}
            )
        run.mapping, run.on_duplicate = mapping, on_duplicate
        run.owner, run.day_first = owner, day_first
        run.full_clean(exclude=["file", "created_by", "owner"])
        run.save()
        SavedMapping.objects.update_or_create(
            user=by,
            kind=run.kind,
            headers_key=headers_key(run.headers),
            defaults={"mapping": mapping},
        )
    return run


def start(*, run_id, by) -> ImportRun:
    """Send the import to the background worker."""
    with transaction.atomic():
        run = _editable(run_id, by)
        if errors := mapping_errors(run.kind, run.mapping):
            raise ValidationError({"mapping": errors})
        run.confirmed_at = timezone.now()
        run.status = ImportRun.Status.QUEUED
        run.save(update_fields=["confirmed_at", "status"])
        background.enqueue(run)
    return run


def import_now(
    *, by, kind: str, file, mapping=None, on_duplicate=OnDuplicate.SKIP, owner=None, dry_run=False
) -> ImportRun:
    """The whole import in the caller's process (the command, the Python API): upload, the
    mapping given (else the guessed one), the run. ``dry_run`` stores nothing and returns
    the counts the run would have had (and keeps no file)."""
    if mapping is not None and not isinstance(mapping, dict):
        raise ValidationError({"mapping": _("Give the mapping as {column: field or None}.")})
    run = upload(by=by, kind=kind, file=file, file_name=Path(file.name).name)
    try:
        run = set_mapping(
            run_id=run.pk,
            by=by,
            mapping=run.mapping if mapping is None else mapping,
            on_duplicate=on_duplicate,
            owner=owner,
        )
        if dry_run:
            counts = running.dry_run_counts(run)
            _forget(run)
            for outcome, counter in running.COUNTERS.items():
                setattr(run, counter, counts[outcome])
            run.next_row = sum(counts.values())
            return run
    except Exception:
        _forget(run)
        raise
    ImportRun.objects.filter(pk=run.pk).update(confirmed_at=timezone.now())
    background.run(ImportRun, run.pk, running.process, retry=False)
    run.refresh_from_db()
    if run.status == ImportRun.Status.FAILED:
        raise ValidationError(run.error)
    return run


def _forget(run: ImportRun) -> None:
    run.file.delete(save=False)
    ImportRow.objects.filter(run=run).delete()
    run.delete()
