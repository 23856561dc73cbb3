"""What every uploaded table is, whatever its format: a header row and data rows under it.

The limits live here; tests lower them with ``monkeypatch.setattr(tables, "MAX_ROWS", 5)``.
"""

from abc import ABC, abstractmethod
from collections.abc import Iterator

from django.utils.translation import gettext as _

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000
#: More columns than any real export has; a sheet formatted out to column XFD has 16,384.
MAX_COLUMNS = 500


class ImportFileError(Exception):
    """A file that cannot be imported; the message tells the person who uploaded it why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def is_blank(value) -> bool:
    """An empty cell: nothing, or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


class Table(ABC):
    """The data rows of a file under its header row.

    ``headers`` are the header row's names, trimmed and unique ("Column N" for a blank one,
    and for data standing right of the last named column); ``header_row`` is the row they
    are on (1 unless rows above it are empty); ``total_rows`` counts the non-empty data rows.
    """

    format = ""

    def __init__(self, file):
        self.file = file
        self.headers: list[str] = []
        self.header_row = 0
        self.total_rows = 0

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self) -> None:  # noqa: B027 (a hook: a CSV table holds nothing to release)
        """Release what the table holds; the file object itself stays open (it is the caller's)."""

    def rows(self, start: int = 0) -> Iterator[tuple[int, dict]]:
        """``(row number, {header: raw value})`` for each non-empty data row, after the first
        ``start`` of them (the unit of ``total_rows``: pass the count of rows already done).

        Row numbers are those the user sees in Excel: the header is row 1 (usually) and
        empty rows, though skipped, keep their numbers. Raw values are ``str`` in a CSV;
        ``str``, ``int``, ``float``, ``bool`` or ``datetime`` in an .xlsx; a missing cell is
        None. One ``rows()`` at a time: each reads the same file object from the start.
        """
        width = len(self.headers)
        index = 0
        for number, cells in self._records(first=self.header_row + 1):
            if all(is_blank(cell) for cell in cells):
                continue
            index += 1
            if index > MAX_ROWS:
                raise ImportFileError(too_many_rows())
            if index <= start:
                continue
            cells = list(cells[:width])
            cells += [None] * (width - len(cells))
            yield number, dict(zip(self.headers, cells, strict=True))

    @abstractmethod
    def survey(self) -> None:
        """Read the header row and count the rows (each kind of file its own way)."""

    @abstractmethod
    def _records(self, *, first: int = 1) -> Iterator[tuple[int, tuple | list]]:
        """``(row number, cells)`` of every row from row ``first``, empty ones included."""

    def take_header(self, number: int, cells, width: int) -> None:
        if not any(_has_letter(cell) for cell in cells):
            raise ImportFileError(
                _(
                    "The first row must hold the column names (for example Name, Phone, "
                    "E-mail); row %(row)s holds none."
                )
                % {"row": number}
            )
        if width > MAX_COLUMNS:
            raise ImportFileError(
                _("The file has %(count)s columns; up to %(limit)s can be imported.")
                % {"count": width, "limit": MAX_COLUMNS}
            )
        self.header_row = number
        self.headers = unique_headers([*cells, *[None] * (width - len(cells))][:width])

    def check_counts(self) -> None:
        if not self.headers:
            raise ImportFileError(_("The file has no rows: not even a header row."))
        if self.total_rows == 0:
            raise ImportFileError(_("The file has a header row but no rows under it."))


def too_many_rows() -> str:
    return _("The file has more than %(limit)s rows; split it into smaller files.") % {
        "limit": f"{MAX_ROWS:,}"
    }


def _has_letter(cell) -> bool:
    return isinstance(cell, str) and any(char.isalpha() for char in cell)


def unique_headers(cells) -> list[str]:
    """Trimmed header names, "Column N" for a blank one, "Name (2)" for a repeated one.

    "Column N" is not translated: the mapping a user saves is keyed by these names, and
    the worker reading the file later may run in another language than the upload page.
    """
    headers, seen = [], set()
    for index, cell in enumerate(cells, start=1):
        name = " ".join(_header_text(cell).split()) or f"Column {index}"
        candidate, copy = name, 2
        while candidate.casefold() in seen:
            candidate, copy = f"{name} ({copy})", copy + 1
        seen.add(candidate.casefold())
        headers.append(candidate)
    return headers


def _header_text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).replace("\ufeff", "").strip()
