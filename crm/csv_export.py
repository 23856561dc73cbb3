"""CSV export of any list, streamed, with the same filter and access as the list page.

Rules (DESIGN.md, "CSV export"): UTF-8 with a byte-order mark so that Excel reads Chinese
correctly, a header row of readable names, ISO dates, cells that a spreadsheet would run as
a formula neutralised, and memory that stays flat however many rows leave: rows come from
``values_list().iterator()`` inside a transaction (outside one, PostgreSQL would materialise
the whole result for a WITH HOLD cursor before the first row) and are sent in batches.
"""

import csv
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from crm.listing import build_filterset
from crm.models import ExportLog

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
ROWS_PER_CHUNK = 500


@dataclass(frozen=True)
class Column:
    """One exported column: a ``values_list`` path, its header, and optional value labels."""

    path: str
    header: str
    choices: tuple = field(default=())


def csv_cell(value) -> str:
    """Render one value for a CSV cell."""
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


class _Line:
    """A file-like target for csv.writer that hands back each line instead of storing it."""

    def write(self, line):
        return line


class CsvExportView(View):
    """Streams the rows of a list page as CSV; subclasses name the model, filter and columns."""

    model = None
    filterset_class = None
    columns: list[Column] = []
    #: Name recorded in the export log and used for the file name, e.g. "customers".
    list_name = ""

    def export_queryset(self, queryset):
        """Hook to annotate computed columns (e.g. aggregated tags) before values_list."""
        return queryset

    def get(self, request):
        queryset = self.model.objects.visible_to(request.user)
        filterset = build_filterset(self.filterset_class, request, queryset)
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
        writer = csv.writer(_Line())
        labels = [{key: str(label) for key, label in c.choices} for c in self.columns]
        yield "\ufeff" + writer.writerow([str(c.header) for c in self.columns])
        count, completed, batch = 0, False, []
        try:
            with transaction.atomic():
                for row in rows.iterator(chunk_size=2000):
                    cells = [
                        csv_cell(label_map.get(value, value) if label_map else value)
                        for value, label_map in zip(row, labels, strict=True)
                    ]
                    batch.append(writer.writerow(cells))
                    count += 1
                    if len(batch) >= ROWS_PER_CHUNK:
                        yield "".join(batch)
                        batch = []
            if batch:
                yield "".join(batch)
            completed = True
        finally:
            ExportLog.objects.filter(pk=log.pk).update(
                row_count=count, completed=completed, finished_at=timezone.now()
            )
