"""Running an import: the file read from where the last committed batch ended, each batch of
rows stored in one transaction together with its rows' outcomes and the run's progress.

So a worker killed in the middle loses at most the batch it was in, which was rolled back
whole; the run sent again (crm.background) continues from ``next_row`` and stores no row
twice (and ``ImportRow``'s unique (run, row) would refuse it if it tried).
"""

import tempfile
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from itertools import batched
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.bulk_insert import insert_rows
from imports.checker_process import checked_in_child
from imports.fields import Lookups, convert_row
from imports.loaders import LOADERS, RowResult
from imports.models import ImportRow, ImportRun
from imports.reading import read_table
from imports.result_file import RowCopy, write_result

Outcome = ImportRow.Outcome
COUNTERS = {
    Outcome.CREATED: "created_count",
    Outcome.UPDATED: "updated_count",
    Outcome.SKIPPED: "skipped_count",
    Outcome.FAILED: "failed_count",
}


def process(run: ImportRun) -> None:
    """The background work of ``run`` (crm.background.run calls it)."""
    if not run.created_by.is_active:
        raise ValidationError(_("The account that started this import is no longer active."))
    if not run.file.storage.exists(run.file.name):
        raise ValidationError(_("The uploaded file is no longer there; upload it again."))
    # The rows as the result file shows them are copied by whoever reads them (the checker
    # process) as it goes. A run resumed part way would copy only the rest: its result reads
    # the file again, and nothing is copied.
    with tempfile.TemporaryFile() as spool:
        copied = spool if run.next_row == 0 else None
        for _batch in store_batches(run, copied_to=copied):
            pass
        write_result(run, copied=copied)


def store_batches(
    run: ImportRun,
    *,
    limit: int | None = None,
    in_child: bool = True,
    copied_to: BinaryIO | None = None,
) -> Iterator[list[tuple[int, RowResult]]]:
    """Store the rows of ``run`` not stored yet, a batch per transaction, yielding each
    batch's row results once it is stored (``limit`` stops after that many rows: the preview
    and dry runs). Nothing of a batch is kept after it: a 200,000-row file takes the memory of
    two batches (the one being stored, the next being checked).

    A whole file's batches are checked in a child process (unless not ``in_child``); the
    preview's few rows are not worth a process. ``copied_to`` receives the rows as the
    result file shows them (imports.result_file)."""
    loader = LOADERS[run.kind](run)
    lookups = Lookups.load(day_first=run.day_first)
    checked = _checked_batches(run, loader, lookups, limit=limit, copied_to=copied_to)
    if in_child and limit is None:
        checked = checked_in_child(checked, name=f"import-{run.pk}")
    # Closed at once when storing fails, so the checker process ends with it, not when the
    # error (whose traceback holds this frame) is forgotten.
    with closing(checked):
        for batch in checked:
            with transaction.atomic():
                done = _store_batch(loader, batch)
                _record(run, done)
            yield done


def _checked_batches(
    run, loader, lookups, *, limit: int | None, copied_to: BinaryIO | None
) -> Iterator["CheckedBatch"]:
    with (
        run.file.open("rb") as file,
        read_table(file, filename=run.file_name) as table,
        closing(table.rows(start=run.next_row)) as rows,
    ):
        copy = RowCopy(copied_to, table.headers) if copied_to is not None else None
        batches = batched(rows, settings.CRM_IMPORT_BATCH_ROWS)
        if limit is not None:
            batches = _first_rows(batches, limit)
        for batch in batches:
            if copy is not None:
                copy.add(batch)
            yield _check_batch(run, loader, batch, lookups)


def _first_rows(batches, limit: int):
    for batch in batches:
        yield batch[:limit]
        limit -= len(batch)
        if limit <= 0:
            return


@dataclass
class CheckedBatch:
    """A batch's rows once converted and checked (no database yet): the results of the rows
    that failed conversion, and the others' values with what the loader checked of them."""

    numbers: list[int]
    failed: dict[int, RowResult]
    valid: list[tuple[int, dict]]
    checked: list


def _check_batch(run, loader, batch, lookups) -> CheckedBatch:
    """Each row of ``batch`` converted, and the valid ones checked as the loader can without
    the database."""
    failed, valid = {}, []
    for number, raw in batch:
        values, errors = convert_row(run.kind, run.mapping, raw, lookups=lookups)
        if errors:
            failed[number] = RowResult(Outcome.FAILED, " ".join(errors))
        else:
            valid.append((number, values))
    checked = loader.check_batch([values for _number, values in valid]) if valid else []
    return CheckedBatch([number for number, _raw in batch], failed, valid, checked)


def _store_batch(loader, batch: CheckedBatch) -> list[tuple[int, RowResult]]:
    """The valid rows of ``batch`` stored together; should that fail, one by one, so one bad
    row spoils nothing."""
    stored = None
    if batch.valid:
        try:
            with transaction.atomic():
                stored = loader.store_checked(batch.checked)
        except DatabaseError:
            stored = [loader.load(values) for _number, values in batch.valid]
    results = dict(batch.failed)
    results.update(zip((number for number, _values in batch.valid), stored or (), strict=True))
    return [(number, results[number]) for number in batch.numbers]


ROW_FIELDS = (
    "run",
    "row_number",
    "outcome",
    "message",
    "record_model",
    "record_id",
    "contact_id",
    "previous",
)


def _record(run: ImportRun, done: list[tuple[int, RowResult]]) -> None:
    insert_rows(
        ImportRow,
        ROW_FIELDS,
        (
            (
                run.pk,
                number,
                result.outcome,
                result.message,
                result.record._meta.label_lower if result.record is not None else "",
                result.record.pk if result.record is not None else None,
                result.contact_id,
                result.previous,
            )
            for number, result in done
        ),
    )
    counts = dict.fromkeys(COUNTERS.values(), 0)
    for _number, result in done:
        counts[COUNTERS[result.outcome]] += 1
    ImportRun.objects.filter(pk=run.pk).update(
        next_row=F("next_row") + len(done),
        heartbeat_at=timezone.now(),
        **{counter: F(counter) + added for counter, added in counts.items() if added},
    )


def dry_run(run: ImportRun, *, limit: int) -> list[tuple[int, RowResult]]:
    """What the import would do with each of the first ``limit`` rows, with nothing kept:
    the real run inside a transaction that is rolled back."""
    with transaction.atomic():
        results = [result for done in store_batches(run, limit=limit) for result in done]
        transaction.set_rollback(True)
    run.refresh_from_db()
    return results


def dry_run_counts(run: ImportRun, *, in_child: bool = True) -> dict[str, int]:
    """How many rows of the whole file the import would create, update, skip and fail,
    with nothing kept (and no row's result held longer than its batch)."""
    counts = dict.fromkeys(COUNTERS, 0)
    with transaction.atomic():
        for done in store_batches(run, in_child=in_child):
            for _number, result in done:
                counts[result.outcome] += 1
        transaction.set_rollback(True)
    run.refresh_from_db()
    return counts
