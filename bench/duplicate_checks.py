"""The duplicate check alone at the largest size (issue 11: index-backed, p95 <= 50 ms, the
goal bench.import_report checks).

- ``find_matches`` with the name, e-mail and phone of existing customers spread over the whole
  table (their own and teammates'), exact keys only as the import checks each row, and with
  similar names as the customer form's warning does;
- ``find_matches_many`` for a batch of 1,000 candidates, half of them existing customers'
  values and half new ones (the import file's rows), as a set-based import would check a
  batch.

Each call is timed in this process (wall time, p50/p95 nearest rank) after one untimed call,
which also counts its statements and keeps the slowest.
"""

import time
from functools import partial

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench import imports
from bench.measure import percentile
from customers.duplicates import find_matches, find_matches_many
from customers.models import Customer

CHECKS = 40
BATCH = 1_000
BATCHES = 5
KEYS = ("name", "email", "phone")


def existing_values(count: int) -> list[dict]:
    """Name, e-mail and phone of ``count`` customers spread evenly over the ids."""
    highest = Customer.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    step = max(highest // max(count, 1), 1)
    wanted = list(range(step // 2 + 1, highest + 1, step))[:count]
    rows = Customer.objects.filter(pk__in=wanted, merged_into__isnull=True).order_by("pk")
    return list(rows.values(*KEYS))


def measure_duplicate_checks(
    users: dict, *, checks: int = CHECKS, batch: int = BATCH, batches: int = BATCHES, log=None
) -> list[dict]:
    """One entry per (check, role): p50/p95 per call, statements, the slowest one."""
    log = log or (lambda line: None)
    half = batch // 2
    existing = existing_values(checks + half * batches)
    singles, others = existing[:checks], existing[checks:]
    fresh = [{f: r[f] for f in KEYS} for r in imports.records(half * batches)]
    candidates = [
        others[k * half : (k + 1) * half] + fresh[k * half : (k + 1) * half] for k in range(batches)
    ]
    measured = []
    for role, user in users.items():
        kinds = [
            ("find_matches, exact keys (the import, per row)", singles, False),
            ("find_matches with similar names (the customer form)", singles, True),
        ]
        for label, values, similar in kinds:
            calls = [partial(find_matches, by=user, similar=similar, **v) for v in values]
            measured.append(_timed(label, role, calls, per_call=1, log=log))
        calls = [partial(find_matches_many, by=user, candidates=c) for c in candidates]
        label = f"find_matches_many, {batch:,} candidates (half existing)"
        measured.append(_timed(label, role, calls, per_call=batch, log=log))
    return measured


def _timed(label: str, role: str, calls: list, *, per_call: int, log) -> dict:
    with CaptureQueriesContext(connection) as captured:
        found = calls[0]()
    queries = list(captured.captured_queries)
    slowest = max(queries, key=lambda q: float(q["time"]), default=None)
    samples = []
    for call in calls:
        began = time.perf_counter()
        call()
        samples.append((time.perf_counter() - began) * 1000)
    result = {
        "check": label,
        "role": role,
        "candidates_per_call": per_call,
        "samples": len(samples),
        "p50_ms": percentile(samples, 50),
        "p95_ms": percentile(samples, 95),
        "queries": len(queries),
        "db_ms": sum(float(q["time"]) for q in queries) * 1000,
        "slowest_query_ms": float(slowest["time"]) * 1000 if slowest else 0.0,
        "slowest_query": slowest["sql"] if slowest else "",
        "matched_first": _matched(found),
        "samples_ms": [round(s, 2) for s in samples],
    }
    log(
        f"  {label:<56} {role:<11} p50 {result['p50_ms']:7.1f} p95 {result['p95_ms']:7.1f} ms "
        f"{result['queries']:2d} q"
    )
    return result


def _matched(found) -> int:
    """How many of the first call's candidates matched (shown or counted)."""
    results = found if isinstance(found, list) else [found]
    return sum(1 for duplicates in results if duplicates)
