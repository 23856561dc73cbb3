"""Opening an uploaded table (CSV or Excel) and streaming its rows.

`read_table` surveys the whole file once, at opening: it finds the header row, counts the
data rows and checks the file on the way (encoding, structure, limits), so a bad file is
refused before anything is stored and the progress bar knows its total before the run.
Every `Table.rows()` call then reads the file again from the start, one row at a time: a
50 MB file is never held in memory, and an import that resumes after a crash starts where
it stopped (``rows(start=rows_done)``).
"""

import io
from pathlib import Path

from django.utils.translation import gettext as _

from imports import tables
from imports.csv_table import CsvTable
from imports.tables import ImportFileError, Table, is_blank
from imports.xlsx_table import XlsxTable

__all__ = ["ImportFileError", "Table", "is_blank", "read_table"]

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .doc: the old Office format


def read_table(file, *, filename: str) -> Table:
    """Open ``file`` (binary, seekable: an UploadedFile or an open file) as a table.

    Raises ImportFileError for anything that cannot be imported. The file object must stay
    open while the table is used; `Table.close()` (or ``with``) releases what it holds.
    """
    suffix = Path(filename).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ImportFileError(
            _(
                "“%(name)s” is not a CSV or Excel (.xlsx) file. In Excel, use “Save as” and "
                "choose “Excel Workbook (.xlsx)” or “CSV UTF-8”."
            )
            % {"name": Path(filename).name}
        )
    size = _size(file)
    if size == 0:
        raise ImportFileError(_("The file is empty."))
    if size > tables.MAX_FILE_BYTES:
        raise ImportFileError(
            _("The file is %(size)s MB; files up to %(limit)s MB can be imported.")
            % {
                "size": f"{size / 1024 / 1024:.1f}",
                "limit": tables.MAX_FILE_BYTES // 1024 // 1024,
            }
        )
    file.seek(0)
    magic = file.read(8)
    if magic.startswith(OLE_MAGIC):
        raise ImportFileError(
            _(
                "This is an old Excel (.xls) workbook. Open it in Excel and save it as "
                "“Excel Workbook (.xlsx)”."
            )
        )
    if suffix == ".csv":
        if magic.startswith(ZIP_MAGIC):
            raise ImportFileError(
                _("This is an Excel workbook named .csv; rename it to .xlsx and upload it again.")
            )
        table = CsvTable(file)
    else:
        if not magic.startswith(ZIP_MAGIC):
            raise ImportFileError(
                _("This file is not a valid Excel (.xlsx) workbook; it may be damaged.")
            )
        table = XlsxTable(file)
    try:
        table.survey()
    except BaseException:
        table.close()
        raise
    return table


def _size(file) -> int:
    # Measured, not taken from UploadedFile.size: what matters is what will be read.
    return file.seek(0, io.SEEK_END)
