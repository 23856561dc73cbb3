"""Where the time of one batch of the import goes, for the report of a goal it misses.

A file of one batch (``CRM_IMPORT_BATCH_ROWS`` rows, the import's first) is run as a dry run
in this process: ``imports.running.dry_run_counts`` without its checker process, the worker's
own code (store_batches, the loader, the services) in a transaction that is rolled back.
After one pass that loads the code, three over the same rows: one plain (its time per row),
one with every statement captured (how many per row, of which kind, how long), one under
cProfile (the functions the time is spent in; cProfile slows Python down, so its figures are
shares of the profiled batch, not times to compare with the others).
"""

import cProfile
import pstats
import re
import time

from django.conf import settings
from django.core.files import File
from django.db import connection
from django.test.utils import CaptureQueriesContext

from imports import running, services

#: (end of the file's path, function, what it stands for): the import's stages by cumulative
#: time; they nest (full_clean runs inside check_customers), so their shares overlap. On the
#: worker the first two overlap each other too (imports.checker_process: a child process checks
#: the next batch while the worker stores the one before); this dry run does them in turn,
#: in one process, so that one profile sees both.
STAGES = (
    ("imports/running.py", "_check_batch", "the batch converted and checked (Python)"),
    ("imports/running.py", "_store_batch", "the batch stored (duplicate check, inserts)"),
    ("imports/fields.py", "convert_row", "reading and checking the row's values"),
    ("customers/duplicates.py", "find_matches_keyed", "duplicate check (find_matches_keyed)"),
    ("customers/services.py", "check_customers", "check_customers"),
    ("django/db/models/base.py", "full_clean", "full_clean (validation in check_customers)"),
    ("customers/services.py", "insert_customers", "insert_customers"),
    ("crm/bulk_insert.py", "_copy", "COPY (the batch's customers, contacts and outcomes)"),
    ("django/db/transaction.py", "__exit__", "savepoints released"),
    ("imports/running.py", "_record", "the batch's outcomes and progress (ImportRow)"),
    ("django/db/backends/utils.py", "_execute", "waiting for statements (Django's cursor)"),
)
TOP_FUNCTIONS = 15


def profile_batch(user, path, *, mapping: dict) -> dict:
    """Upload ``path`` (one batch of rows) as ``user`` with ``mapping``, profile it, forget it."""
    with path.open("rb") as file:
        run = services.upload(by=user, kind="customers", file=File(file), file_name=path.name)
    try:
        run = services.set_mapping(run_id=run.pk, by=user, mapping=mapping)
        running.dry_run_counts(
            run, in_child=False
        )  # the code and the lookups loaded, as on the worker
        began = time.perf_counter()
        counts = running.dry_run_counts(run, in_child=False)
        plain = time.perf_counter() - began
        with CaptureQueriesContext(connection) as captured:
            running.dry_run_counts(run, in_child=False)
        profiler = cProfile.Profile()
        profiler.enable()
        running.dry_run_counts(run, in_child=False)
        profiler.disable()
    finally:
        run.file.delete(save=False)
        run.delete()
    done = sum(counts.values()) or 1
    statements = statement_kinds(captured.captured_queries, done)
    return {
        "rows": sum(counts.values()),
        "outcomes": {outcome: count for outcome, count in counts.items() if count},
        "ms_per_row": plain * 1000 / done,
        "statements_per_row": len(captured.captured_queries) / done,
        "statement_ms_per_row": sum(float(q["time"]) for q in captured.captured_queries)
        * 1000
        / done,
        "statements": statements,
        **python_stages(pstats.Stats(profiler)),
    }


def statement_kinds(queries: list[dict], rows: int) -> list[dict]:
    """The captured statements grouped by what they do, most frequent first."""
    kinds = {}
    for query in queries:
        kind = kinds.setdefault(statement_kind(query["sql"]), [0, 0.0, query["sql"][:300]])
        kind[0] += 1
        kind[1] += float(query["time"]) * 1000
    return [
        {"kind": kind, "per_row": n / rows, "ms_per_row": ms / rows, "example": example}
        for kind, (n, ms, example) in sorted(kinds.items(), key=lambda item: -item[1][0])
    ]


def statement_kind(statement: str) -> str:
    """``SAVEPOINT``, ``RELEASE SAVEPOINT``, ``INSERT customers_contact``, ``SELECT
    auth_user (exists)``, ``SELECT customers_customer (count)``, ... ."""
    text = statement.lstrip()
    words = text.split(None, 2)
    head = words[0].upper() if words else ""
    if head in ("RELEASE", "ROLLBACK"):
        return "ROLLBACK TO SAVEPOINT" if head == "ROLLBACK" else "RELEASE SAVEPOINT"
    if head == "SAVEPOINT":
        return head
    table = re.search(r'\b(?:FROM|INTO|UPDATE|COPY)\s+"(\w+)"', text)
    kind = f"{head} {table.group(1)}" if table else head
    marks = [
        mark
        for mark, present in (
            ("exists", text.startswith('SELECT 1 AS "a"')),
            ("count", "COUNT(" in text.upper()),
            ("for update", text.rstrip().endswith("FOR UPDATE")),
        )
        if present
    ]
    return f"{kind} ({', '.join(marks)})" if marks else kind


def python_stages(stats: pstats.Stats) -> dict:
    """The share of the profiled batch in each of ``STAGES``, and the functions that spend
    the most time of their own."""
    entries = stats.stats  # {(file, line, function): (calls, primitive, own, cumulative, ...)}
    total = (
        max(
            (
                cumulative
                for (file, _l, fn), (_c, _p, _o, cumulative, _) in entries.items()
                if file.endswith("imports/running.py") and fn == "store_batches"
            ),
            default=0.0,
        )
        or 1e-9
    )
    stages = []
    for suffix, function, label in STAGES:
        cumulative = sum(
            entry[3]
            for (file, _line, name), entry in entries.items()
            if file.endswith(suffix) and name == function
        )
        stages.append({"stage": label, "share": cumulative / total})
    own = sorted(entries.items(), key=lambda item: -item[1][2])[:TOP_FUNCTIONS]
    return {
        "profiled_seconds": total,
        "stages": stages,
        "top_own_time": [
            {
                "function": f"{_short(file)}:{line} {name}",
                "calls": calls,
                "share": own_time / total,
            }
            for (file, line, name), (_p, calls, own_time, _c, _callers) in own
        ],
    }


def _short(path: str) -> str:
    for marker in ("site-packages/", str(settings.BASE_DIR) + "/"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path
