"""An import's result file: every row of the file as it was, with its outcome, message and
the record it made (CSV with a BOM, cells neutralised like every export).

Its left part, the row as the file held it, is copied while the import reads the rows
(`RowCopy`, in the checker process, which has time to spare while the worker stores), so
that the result needs no second reading of the file once the rows are stored: that took
about 4 of the 60 seconds of 100,000 rows. A run resumed part way copied only the rest of
its rows; its result reads the file again.
"""

import csv
import io
import pickle
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, time
from typing import BinaryIO

from django.core.files import File
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.csv_export import csv_cell
from imports.models import ImportRow, ImportRun
from imports.reading import read_table

Outcome = ImportRow.Outcome
RESULT_COLUMNS = (("outcome", _("Outcome")), ("message", _("Message")), ("record", _("Record")))


class RowCopy:
    """Rows as the result file shows them, written to ``copied`` a batch at a time after
    the header's names."""

    def __init__(self, copied: BinaryIO, headers: list[str]):
        self.copied, self.as_text = copied, RowText(headers)
        pickle.dump(headers, copied)

    def add(self, batch: list[tuple[int, dict]]) -> None:
        pickle.dump([(number, self.as_text(number, raw)) for number, raw in batch], self.copied)
        # Flushed now: the checker process ends without flushing what its buffer holds.
        self.copied.flush()


class RowText:
    """A row as the result file's left part: its number and its cells as the file held
    them, as CSV text."""

    def __init__(self, headers: list[str]):
        self.headers = headers
        self.text = io.StringIO()
        self.writer = csv.writer(self.text, lineterminator="")

    def __call__(self, number: int, raw: dict) -> str:
        self.text.seek(0)
        self.text.truncate()
        self.writer.writerow([number, *(_as_in_file(raw.get(name)) for name in self.headers)])
        return self.text.getvalue()


def write_result(run: ImportRun, *, copied: BinaryIO | None = None) -> None:
    """Write ``run``'s result file from its rows' outcomes and ``copied`` (a `RowCopy` of
    every row of the file), else the file read again."""
    outcomes = (
        ImportRow.objects.filter(run=run)
        .order_by("row_number")
        .values_list("row_number", "outcome", "message", "record_model", "record_id")
        .iterator(chunk_size=5000)
    )
    # Translated once, not per row as a lazy label would be.
    labels = {outcome: str(label) for outcome, label in Outcome.choices}
    # Written to a temporary file as the rows come, not built in memory: the result of a
    # 200,000-row import is tens of megabytes.
    with tempfile.TemporaryFile() as spool:
        text = io.TextIOWrapper(spool, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)
        with _rows_as_text(run, copied) as (headers, rows):
            writer.writerow([_("Row"), *headers, *(str(label) for _name, label in RESULT_COLUMNS)])
            pending = next(outcomes, None)
            not_run = (_("Not run"), "", "")
            for number, row in rows:
                while pending is not None and pending[0] < number:
                    pending = next(outcomes, None)
                if pending is not None and pending[0] == number:
                    _number, outcome, message, model, pk = pending
                    result = (labels[outcome], csv_cell(message), f"{model}:{pk}" if pk else "")
                else:
                    result = not_run
                text.write(row)
                text.write(",")
                writer.writerow(result)
        text.flush()
        text.detach()
        spool.seek(0)
        run.result_file.save(run.result_file_name, File(spool), save=False)
    ImportRun.objects.filter(pk=run.pk).update(result_file=run.result_file.name)


@contextmanager
def _rows_as_text(run: ImportRun, copied: BinaryIO | None):
    """``(headers, rows)``: the header's names and each row as (number, `RowText`), from
    ``copied`` or the file read again."""
    if copied is not None:
        copied.seek(0)
        yield pickle.load(copied), _copied_rows(copied)
        return
    with run.file.open("rb") as file, read_table(file, filename=run.file_name) as table:
        as_text = RowText(table.headers)
        yield table.headers, ((number, as_text(number, raw)) for number, raw in table.rows())


def _copied_rows(copied: BinaryIO) -> Iterator[tuple[int, str]]:
    while True:
        try:
            batch = pickle.load(copied)
        except EOFError:
            return
        yield from batch


def _as_in_file(value) -> str:
    """A cell as the file held it: an Excel date has no time zone and stays as written."""
    if isinstance(value, datetime) and timezone.is_naive(value):
        value = value.replace(microsecond=0)
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    return csv_cell(value)
