"""Excel (.xlsx) workbooks: the first sheet, read by openpyxl in read-only mode, row by row."""

import warnings
import xml.parsers.expat
import zipfile

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from imports import tables
from imports.tables import ImportFileError, Table, too_many_rows

#: openpyxl holds a workbook's shared strings in memory, ~4 bytes per byte of their XML:
#: 128 MB of it is ~500 MB of memory (3 million distinct texts), more than a worker may take.
MAX_SHARED_STRINGS_BYTES = 128 * 1024 * 1024


class XlsxTable(Table):
    format = "xlsx"

    def __init__(self, file):
        super().__init__(file)
        self.workbook = None
        self.sheet = None

    def close(self) -> None:
        if self.workbook is not None:
            self.workbook.close()
            self.workbook = None

    def survey(self) -> None:
        self._check_shared_strings()
        self.file.seek(0)
        try:
            # openpyxl warns about features it drops (styles, extensions) that do not
            # matter for reading values.
            with warnings.catch_warnings(action="ignore", category=UserWarning):
                self.workbook = load_workbook(self.file, read_only=True, data_only=True)
        except Exception:
            # A damaged zip, a missing part, broken XML: openpyxl raises many kinds.
            raise ImportFileError(_damaged()) from None
        if not self.workbook.worksheets:
            raise ImportFileError(_("The workbook has no worksheet."))
        self.sheet = self.workbook.worksheets[0]
        header_row, self.total_rows, width = self._count_rows()
        if header_row:
            cells = next(self._records(first=header_row, last=header_row, width=width))[1]
            self.take_header(header_row, cells, width=width)
        self.check_counts()

    def _check_shared_strings(self) -> None:
        """openpyxl reads a workbook's shared strings whole, even in read-only mode: refuse a
        zip that would unpack into more than memory should hold (a "zip bomb")."""
        self.file.seek(0)
        try:
            with zipfile.ZipFile(self.file) as archive:
                size = sum(
                    info.file_size
                    for info in archive.infolist()
                    if "sharedstrings" in info.filename.lower()
                )
        except (zipfile.BadZipFile, OSError, ValueError):
            raise ImportFileError(_damaged()) from None
        if size > MAX_SHARED_STRINGS_BYTES:
            raise ImportFileError(
                _(
                    "This workbook holds more text than can be read at once. Save it as "
                    "“CSV UTF-8” in Excel and upload that file."
                )
            )

    def _count_rows(self) -> tuple[int, int, int]:
        """(header row, non-empty data rows, widest column with a value).

        openpyxl takes ~14 s to build the values of 200,000 rows of 10 cells; this pass only
        looks at which cells hold a value in the sheet's XML (expat, ~3 s). A row is counted when a
        cell stores anything, so a row holding only spaces counts here though `rows()` skips
        it: the total may then run a little ahead of the rows done.
        """
        counter = _FilledRowCounter()
        parser = xml.parsers.expat.ParserCreate()
        parser.StartElementHandler = counter.start
        parser.EndElementHandler = counter.end
        parser.CharacterDataHandler = counter.text
        parser.buffer_text = True
        try:
            # openpyxl's opener of the sheet's XML part (the path comes from the workbook's
            # relations, which openpyxl has already read).
            with self.sheet._get_source() as source:
                parser.ParseFile(source)
            counter.end_row()
        except _TooManyRows:
            raise ImportFileError(too_many_rows()) from None
        except Exception:
            raise ImportFileError(_damaged()) from None
        return counter.header_row, counter.data_rows, counter.width

    def _records(self, *, first: int = 1, last: int | None = None, width: int | None = None):
        width = width or len(self.headers)
        rows = self.sheet.iter_rows(min_row=first, max_row=last, max_col=width, values_only=True)
        # openpyxl fills the rows missing from the XML, so counting from ``first`` is exact.
        yield from enumerate(rows, start=first)


def _damaged() -> str:
    return _("This file is not a valid Excel (.xlsx) workbook; it may be damaged.")


class _TooManyRows(Exception):
    pass


class _FilledRowCounter:
    """Expat handlers that count the rows of a sheet's XML holding a value.

    Called for each of millions of elements, so they do as little as they can: the column
    of the last filled cell of a row (its widest) is worked out once, at the row's end.
    """

    def __init__(self):
        self.header_row = 0
        self.data_rows = 0
        self.width = 0
        self.row = 0
        self.position = 0  # of the current cell in its row, for cells without a reference
        self.reference = None
        self.filled = None  # (reference, position) of the row's last cell with a value
        self.in_value = False

    def start(self, name, attributes):
        if name == "c":
            self.reference = attributes.get("r")
            self.position += 1
        elif name == "v" or name == "t":
            self.in_value = True
        elif name == "row":
            self.end_row()
            # "r" may be left out by some writers: rows (and cells) then follow one another.
            self.row = int(attributes.get("r") or self.row + 1)
            self.position = 0
        elif ":" in name:  # a prefixed namespace ("x:row"), written by some tools
            self.start(name.rpartition(":")[2], attributes)

    def end(self, name):
        if self.in_value:
            self.in_value = False

    def text(self, data):
        if self.in_value:
            self.filled = (self.reference, self.position)

    def end_row(self):
        if self.filled is None:
            return
        reference, position = self.filled
        letters = reference.rstrip("0123456789") if reference else ""
        column = column_index_from_string(letters) if letters else position
        if not self.header_row:
            self.header_row = self.row
        else:
            self.data_rows += 1
            if self.data_rows > tables.MAX_ROWS:
                raise _TooManyRows
        self.width = max(self.width, column)
        self.filled = None
