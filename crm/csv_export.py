"""CSV export of any list, streamed, with the same filter and access as the list page.

Rules (DESIGN.md, "CSV export"): UTF-8 with a byte-order mark so that Excel reads Chinese
correctly, a header row of readable names, ISO dates, cells that a spreadsheet would run as
a formula neutralised, and memory that stays flat however many rows leave: rows come from
``values_list().iterator()`` inside a transaction (outside one, PostgreSQL would materialise
the whole result for a WITH HOLD cursor before the first row) and are sent in batches.

Speed: an export can be a million rows of a dozen columns, so the per-cell work is chosen
once per column from its model field (``column_formatter``) instead of testing each value's
type, and the time zone is looked up once per export instead of once per datetime.
"""

import csv
import io
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from decimal import Decimal
from itertools import batched

from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models.constants import LOOKUP_SEP
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from crm.listing import build_filterset
from crm.models import ExportLog

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
ROWS_PER_CHUNK = 500

#: Turns one value into what csv.writer should write for it (None and numbers as they are).
Formatter = Callable[[object], object]


@dataclass(frozen=True)
class Column:
    """One exported column: a ``values_list`` path, its header, and optional value labels."""

    path: str
    header: str
    choices: tuple = field(default=())


def csv_cell(value) -> str:
    """Render one value of any type for a CSV cell (a list export uses ``column_formatter``)."""
    if type(value) is str:  # most cells, spared the other types' checks
        return "'" + value if value.startswith(FORMULA_PREFIXES) else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(microsecond=0).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return str(value)
    text = str(value)
    # A leading apostrophe makes spreadsheets show the text instead of evaluating it.
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def column_formatter(model_field, choices, tz: tzinfo) -> Formatter | None:
    """The formatter of one column: csv.writer writes what it returns as ``csv_cell`` would.

    ``model_field`` is the field at the end of the column's path. Each formatter knows only
    the value types its field returns, plus None; anything else (an annotation, a relation,
    a field with its own Python type) gets ``csv_cell``, which looks at each value. No
    formatter (None) means "write the value as it is": csv.writer writes None as an empty
    cell and a number as ``str()`` does.
    """
    if isinstance(model_field, models.GeneratedField):
        model_field = model_field.output_field
    if model_field is None or model_field.is_relation or hasattr(model_field, "from_db_value"):
        formatter = csv_cell
    elif isinstance(model_field, models.BooleanField):
        formatter = _Labels({True: _("yes"), False: _("no")}, csv_cell).__getitem__
    elif isinstance(model_field, models.DateTimeField):  # before DateField, its parent

        def formatter(value):
            # = timezone.localtime(value) without looking the current zone up every time
            if value is None:
                return None
            return value.astimezone(tz).replace(microsecond=0).isoformat()

    elif isinstance(model_field, models.DateField):

        def formatter(value):
            return None if value is None else value.isoformat()

    elif isinstance(model_field, models.IntegerField | models.DecimalField | models.FloatField):
        formatter = None
    elif isinstance(model_field, models.CharField | models.TextField):

        def formatter(value):
            # as in csv_cell: the apostrophe makes spreadsheets show the text, not run it
            return "'" + value if value and value.startswith(FORMULA_PREFIXES) else value

    else:
        formatter = csv_cell
    if not choices:
        return formatter
    return _Labels({key: csv_cell(str(label)) for key, label in choices}, formatter).__getitem__


class _Labels(dict):
    """Cell text by value, looked up in C; a value without a label goes to ``fallback``."""

    def __init__(self, labels, fallback: Formatter | None):
        super().__init__(labels)
        self.fallback = fallback

    def __missing__(self, value):
        return value if self.fallback is None else self.fallback(value)


def path_field(model, path: str):
    """The model field a ``values_list`` path ends at, or None (annotation, transform)."""
    model_field = None
    for name in path.split(LOOKUP_SEP):
        if model_field is not None:
            model = model_field.related_model
            if model is None:  # a transform such as created_at__date
                return None
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
    return model_field


def _formatted(formatters, batch):
    """The batch's rows with every cell formatted, worked column by column so that each
    formatter is mapped over its values in C (no Python loop per row or per cell)."""
    columns = zip(*batch, strict=True)
    formatted = [
        values if formatter is None else map(formatter, values)
        for formatter, values in zip(formatters, columns, strict=True)
    ]
    return zip(*formatted, strict=True)


def _csv_text(rows) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


class CsvExportView(View):
    """Streams the rows of a list page as CSV; subclasses name the model, filter and columns."""

    model = None
    filterset_class = None
    columns: list[Column] = []
    #: Name recorded in the export log and used for the file name, e.g. "customers".
    list_name = ""

    def get_columns(self) -> list[Column]:
        """The columns of this request's export (a subclass may leave some out for a role)."""
        return self.columns

    def export_queryset(self, queryset):
        """Hook to annotate computed columns (e.g. aggregated tags) before values_list."""
        return queryset

    def get(self, request):
        queryset = self.model.objects.visible_to(request.user)
        filterset = build_filterset(self.filterset_class, request, queryset)
        self.columns = self.get_columns()
        rows = self.export_queryset(filterset.qs).values_list(*[c.path for c in self.columns])
        log = ExportLog.objects.create(
            user=request.user,
            list_name=self.list_name,
            query_string=request.GET.urlencode()[:2000],
        )
        response = StreamingHttpResponse(
            self.stream(rows, log), content_type="text/csv; charset=utf-8"
        )
        filename = f"{self.list_name}-{timezone.localdate().isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response

    def stream(self, rows, log):
        yield "\ufeff" + _csv_text([[str(c.header) for c in self.columns]])
        tz = timezone.get_current_timezone()
        formatters = [
            column_formatter(path_field(rows.model, c.path), c.choices, tz) for c in self.columns
        ]
        count, completed = 0, False
        try:
            # closing(): the server-side cursor is closed inside its transaction even when
            # the client leaves mid-download (the generator is closed at a yield).
            with transaction.atomic(), closing(rows.iterator(chunk_size=2000)) as fetched:
                for batch in batched(fetched, ROWS_PER_CHUNK):
                    count += len(batch)
                    yield _csv_text(_formatted(formatters, batch))
            completed = True
        finally:
            ExportLog.objects.filter(pk=log.pk).update(
                row_count=count, completed=completed, finished_at=timezone.now()
            )
