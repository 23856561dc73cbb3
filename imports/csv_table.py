"""CSV files: the encoding and the delimiter told from a sample, rows streamed from the file."""

import codecs
import csv
import io
import unicodedata

from django.utils.translation import gettext as _

from imports import tables
from imports.tables import ImportFileError, Table, is_blank, too_many_rows

#: Bytes read to tell the encoding and the delimiter.
SAMPLE_BYTES = 64 * 1024
DELIMITERS = ",;\t"


class CsvTable(Table):
    format = "csv"

    def __init__(self, file):
        super().__init__(file)
        self.encoding = "utf-8"
        self.delimiter = ","

    def survey(self) -> None:
        self.file.seek(0)
        sample = self.file.read(SAMPLE_BYTES)
        whole = len(sample) < SAMPLE_BYTES
        self.encoding, text = _detect_encoding(sample, whole=whole)
        if not whole:  # the last line may be cut short
            text = text[: text.rfind("\n") + 1] or text
        self.delimiter = _detect_delimiter(text)
        try:
            self._survey_rows()
        except _Undecodable as error:
            # A sample of plain ASCII decides nothing: a GB18030 file whose Chinese starts
            # further down is read again as GB18030.
            if self.encoding != "utf-8" or not sample.isascii():
                raise ImportFileError(error.message) from None
            self.encoding, self.total_rows = "gb18030", 0
            self._survey_rows()

    def _survey_rows(self) -> None:
        header, width = None, 0
        for number, cells in self._records():
            if all(is_blank(cell) for cell in cells):
                continue
            if header is None:
                header = (number, cells)
                width = _last_filled(cells)
                continue
            self.total_rows += 1
            if self.total_rows > tables.MAX_ROWS:
                raise ImportFileError(too_many_rows())
            # Data right of the last named column gets a "Column N" name, not dropped.
            width = max(width, _last_filled(cells))
        if header is not None:
            self.take_header(*header, width=width)
        self.check_counts()

    def _records(self, *, first: int = 1):
        self.file.seek(0)
        text = io.TextIOWrapper(self.file, encoding=self.encoding, newline="")
        number = 0
        try:
            reader = csv.reader(text, delimiter=self.delimiter, strict=False)
            for number, cells in enumerate(reader, start=1):
                if number >= first:
                    yield number, cells
        except UnicodeDecodeError:
            # Text is decoded a block ahead of the rows: the row is known only roughly.
            raise _Undecodable(
                _(
                    "The file is not readable as %(encoding)s text from about row %(row)s on. "
                    "Save it as “CSV UTF-8” and upload it again."
                )
                % {"row": number + 1, "encoding": _encoding_name(self.encoding)}
            ) from None
        except csv.Error as error:
            raise ImportFileError(
                _("Row %(row)s cannot be read as CSV: %(error)s")
                % {"row": number + 1, "error": error}
            ) from None
        finally:
            # Closing the wrapper would close the caller's file (a generator dropped after
            # the file was closed has nothing left to detach from).
            if not self.file.closed:
                text.detach()


class _Undecodable(ImportFileError):
    pass


def _last_filled(cells) -> int:
    for index in range(len(cells), 0, -1):
        if not is_blank(cells[index - 1]):
            return index
    return 0


def _encoding_name(encoding: str) -> str:
    return {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "gb18030": "GB18030", "utf-16": "UTF-16"}[
        encoding
    ]


def _detect_encoding(sample: bytes, *, whole: bool) -> tuple[str, str]:
    """The file's encoding and the sample decoded with it.

    A byte-order mark decides; otherwise UTF-8 if the sample decodes as UTF-8, else GB18030
    (a superset of GBK and GB2312: what Excel writes on a Chinese Windows).
    """
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode Text": unusual for a .csv, but unambiguous.
        encodings = ["utf-16"]
    elif sample.startswith(codecs.BOM_UTF8):
        encodings = ["utf-8-sig"]
    elif b"\x00" in sample:
        raise ImportFileError(_not_text())
    else:
        encodings = ["utf-8", "gb18030"]
    for encoding in encodings:
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(sample, final=whole)
        except UnicodeDecodeError:
            continue
        controls = sum(
            1 for char in text if unicodedata.category(char) == "Cc" and char not in "\t\r\n"
        )
        if controls > max(8, len(text) // 100):  # a stray form feed or DOS end mark is fine
            raise ImportFileError(_not_text())
        return encoding, text
    raise ImportFileError(
        _(
            "The file is neither UTF-8 nor GB18030 (GBK) text. Save it as “CSV UTF-8” and "
            "upload it again."
        )
    )


def _not_text() -> str:
    return _("This file is not a CSV text file; it may be an image or another kind of document.")


def _detect_delimiter(text: str) -> str:
    """Comma, semicolon or tab: the sniffer's guess when the header line agrees with it,
    else the one the header line holds most of (header names seldom contain one)."""
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    try:
        guess = csv.Sniffer().sniff(text[:16384], delimiters=DELIMITERS).delimiter
    except csv.Error:
        guess = None
    if guess and guess in header_line:
        return guess
    counts = {delimiter: header_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","
