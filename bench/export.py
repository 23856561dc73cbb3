"""The CSV export of the whole customer list against PostgreSQL's own ``COPY ... TO STDOUT``.

Both run in this process on the same connection settings: the export through the test client
(consuming the streamed response chunk by chunk), the baseline as ``COPY (<the export's own
SELECT>) TO STDOUT (FORMAT csv)`` read through psycopg. Same rows, same columns, same order:
the SELECT is the one the export view builds.

Memory is the growth of the process's peak resident set (Linux ``VmHWM``, reset through
``/proc/self/clear_refs`` just before the export): everything the export allocates, Python
objects and the database driver's buffers alike. Where the peak cannot be reset, the growth
of ``resource.getrusage().ru_maxrss`` is reported instead (then only a new high is seen).
``make bench`` runs it in a fresh process (``python -m bench.run --export-as USER``), like a new
gunicorn worker: a process that generated a million rows before has freed memory to reuse,
which would hide the export's own.
"""

import resource
import time

from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from crm.listing import build_filterset
from customers.views import CustomerExportView


def measure_export(client, user) -> dict:
    """Export every customer ``user`` sees (the list's default filter and sort)."""
    copy = copy_baseline(user)
    url = reverse("customers:export")
    # A one-row export first: code, templates and the connection are loaded as in a worker
    # that has served requests before.
    b"".join(client.get(url, {"id": 1}).streaming_content)
    tracker = _PeakMemory()
    started = time.perf_counter()
    response = client.get(url)
    first_byte = first_row = None
    total_bytes = chunks = 0
    for chunk in response.streaming_content:
        now = time.perf_counter()
        if first_byte is None:
            first_byte = now - started
        elif first_row is None:
            first_row = now - started  # the header comes first, the rows after the query
        total_bytes += len(chunk)
        chunks += 1
    # Consumed to the end, the test client has closed the response (request_finished sent).
    seconds = time.perf_counter() - started
    growth_mb, method = tracker.growth_mb()
    return {
        "status": response.status_code,
        "seconds": seconds,
        "first_byte_ms": (first_byte or 0) * 1000,
        "first_row_ms": (first_row or 0) * 1000,
        "bytes": total_bytes,
        "chunks": chunks,
        "memory_growth_mb": growth_mb,
        "memory_method": method,
        "copy_seconds": copy["seconds"],
        "copy_bytes": copy["bytes"],
        "copy_rows": copy["rows"],
        "ratio": seconds / copy["seconds"] if copy["seconds"] else None,
        "copy_sql": copy["sql"],
    }


def export_sql(user) -> str:
    """The export view's SELECT for ``user`` with no filter, its values inlined."""
    view = CustomerExportView()
    request = RequestFactory().get(reverse("customers:export"))
    request.user = user
    queryset = view.model.objects.visible_to(user)
    filterset = build_filterset(view.filterset_class, request, queryset)
    rows = view.export_queryset(filterset.qs).values_list(*[c.path for c in view.columns])
    sql, params = rows.query.sql_with_params()
    return connection.ops.compose_sql(sql, params)


def copy_baseline(user) -> dict:
    sql = export_sql(user)
    connection.ensure_connection()
    started = time.perf_counter()
    size = 0
    with (
        connection.connection.cursor() as cursor,
        cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv, HEADER)") as copy,
    ):
        for block in copy:
            size += len(block)
        rows = cursor.rowcount
    return {"seconds": time.perf_counter() - started, "bytes": size, "rows": rows, "sql": sql}


class _PeakMemory:
    def __init__(self):
        self.method = "VmHWM growth (peak RSS, reset before the export)"
        try:
            with open("/proc/self/clear_refs", "w") as clear:
                clear.write("5")  # resets the peak resident set size to the current one
            self.before = _status_kb("VmRSS")
        except OSError:
            self.method = "ru_maxrss growth (peak RSS since the process started)"
            self.before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    def growth_mb(self) -> tuple[float, str]:
        if self.method.startswith("VmHWM"):
            peak = _status_kb("VmHWM")
        else:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return max(peak - self.before, 0) / 1024, self.method


def _status_kb(key: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise OSError(f"{key} not in /proc/self/status")
