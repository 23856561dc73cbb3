"""The goals of issues 6 and 11, checked against the measurements: one markdown table and a
JSON file.

Goals (they are goals for the code, checked here, never asserted by a test):
list pages and the HTTP API's lists (issue 12) p95 <= 40 ms at the largest size,
p95(largest) / p95(smallest) <= 1.2 and the same number of queries at both sizes, and a deep
cursor page of the API reading its sort's index (no Seq Scan, no Sort); CSV export <= 8x PostgreSQL's COPY of the same rows, first
byte <= 500 ms, memory growth <= 50 MB; dashboard p95 <= 300 ms; >= 200 requests/s. Issue 11:
the duplicates page p95 <= 50 ms with the same number of queries at both sizes (its ratio is
shown, not a goal), and the import's goals (bench.import_report).
"""

import json
from datetime import datetime
from pathlib import Path

from bench.api import plan_rows
from bench.import_report import duplicate_check_rows, import_rows

LIST_P95_MS = 40.0
LIST_RATIO = 1.2
EXPORT_RATIO = 8.0
EXPORT_FIRST_BYTE_MS = 500.0
EXPORT_MEMORY_MB = 50.0
DASHBOARD_P95_MS = 300.0
DUPLICATES_PAGE_P95_MS = 50.0
REQUESTS_PER_SECOND = 200.0

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def size_label(customers: int) -> str:
    if customers >= 1_000_000 and customers % 100_000 == 0:
        return f"{customers / 1_000_000:g}M"
    if customers >= 1_000 and customers % 100 == 0:
        return f"{customers / 1_000:g}k"
    return str(customers)


def goal_rows(results: dict) -> list[dict]:
    """One row per figure: what was measured, at which sizes, the goal, met or not."""
    small, large = results["points"][0], results["points"][-1]
    rows = []
    for key in ("lists", "api", "dashboard"):
        before = {_key(m): m for m in small.get(key, [])}
        for measured in large.get(key, []):
            rows.append(_page_row(key, before.get(_key(measured)), measured))
    rows.extend(plan_rows(results.get("api_plans", [])))
    export = results.get("export")
    if export:
        rows.extend(_export_rows(export))
    rows.extend(duplicate_check_rows(results.get("duplicate_checks", [])))
    if results.get("import"):
        rows.extend(import_rows(results["import"], results.get("duplicate_checks", [])))
    for throughput in results.get("throughput", []):
        rps = throughput["requests_per_second"]
        ok = rps >= REQUESTS_PER_SECOND and not throughput["non_2xx"]
        rows.append(
            {
                "area": "gunicorn",
                "measurement": f"req/s {throughput['path']} ({throughput['client']}, "
                f"{throughput['connections']} connections, {throughput['workers']} workers)",
                "role": throughput["role"],
                "small": "",
                "large": f"{rps:.0f} req/s (p50 {throughput['latency_ms'].get('50', 0):.0f} ms)",
                "ratio": "",
                "queries": "",
                "goal": f">= {REQUESTS_PER_SECOND:.0f} req/s",
                "met": ok,
                "detail": "" if ok else _why_rps(throughput),
                "why": "" if ok else _rps_reason(results, throughput),
            }
        )
    for error in results.get("errors", []):
        stage = error.split(":", 1)[0]
        rows.append(
            {
                "area": stage.split()[0],
                "measurement": stage,
                "role": "",
                "small": "",
                "large": "not measured",
                "ratio": "",
                "queries": "",
                "goal": "",
                "met": False,
                "detail": "failed, see errors in the JSON",
            }
        )
    return rows


def _key(measured: dict) -> tuple:
    return measured["area"], measured["label"], measured["role"]


def _page_row(kind: str, before: dict | None, after: dict) -> dict:
    is_list = kind in ("lists", "api")  # the HTTP API's lists: the pages' goals
    limit = LIST_P95_MS if is_list else DASHBOARD_P95_MS
    ratio_goal = is_list
    if after["area"] == "duplicates":  # issue 11's page: its own limit, index-backed
        limit, ratio_goal = DUPLICATES_PAGE_P95_MS, False
    failures = []
    if after["status"] != after.get("expected_status", 200):
        failures.append(f"HTTP {after['status']}")
    if after["p95_ms"] > limit:
        failures.append(f"p95 {after['p95_ms']:.0f} ms > {limit:.0f}")
    ratio = after["p95_ms"] / before["p95_ms"] if before and before["p95_ms"] else None
    if ratio_goal and ratio is not None and ratio > LIST_RATIO:
        failures.append(f"x{ratio:.2f} > {LIST_RATIO}")
    queries = f"{after['queries']}"
    if before:
        queries = f"{before['queries']} → {after['queries']}"
        if is_list and before["queries"] != after["queries"]:
            failures.append(f"queries {before['queries']} → {after['queries']}")
    goal = f"p95 <= {limit:.0f} ms"
    if is_list:
        goal += f", x <= {LIST_RATIO}, queries constant" if ratio_goal else ", queries constant"
    return {
        "area": after["area"],
        "measurement": after["label"],
        "role": after["role"],
        "small": _p50_p95(before) if before else "",
        "large": _p50_p95(after),
        "ratio": f"x{ratio:.2f}" if ratio else "",
        "queries": queries,
        "goal": goal,
        "met": not failures,
        "detail": "; ".join(failures),
        "why": "" if not failures else _why_page(before, after, limit),
    }


def _why_page(before: dict | None, after: dict, limit: float) -> str:
    """Where the time of a page that misses its goal goes, and what would close the gap."""
    cpu, db, slowest = after["cpu_p50_ms"], after["db_ms"], after["slowest_query_ms"]
    reason = (
        f"Python {cpu:.0f} ms of CPU + {after['queries']} statements {db:.0f} ms "
        f"(slowest {slowest:.0f} ms)"
    )
    if before and after["p95_ms"] <= limit:
        # Only the ratio is missed: say what grew between the two sizes.
        grew_cpu = cpu - before["cpu_p50_ms"]
        grew_db = db - before["db_ms"]
        return (
            f"p95 {before['p95_ms']:.1f} -> {after['p95_ms']:.1f} ms: Python CPU "
            f"{before['cpu_p50_ms']:.1f} -> {cpu:.1f} ms ({grew_cpu:+.1f}), statements "
            f"{before['db_ms']:.0f} -> {db:.0f} ms ({grew_db:+.0f}; deeper indexes, less of "
            "them in the CPU's caches). To close: a few milliseconds on pages of 10-20 ms; "
            "runs differ by about as much (docs/performance.md); fewer statements per page "
            "(session, user, role, badges) would shrink both"
        )
    if before and after["p95_ms"] > limit >= before["p95_ms"] * LIST_RATIO:
        reason += f"; at the small size statements took {before['db_ms']:.0f} ms"
    if db >= cpu:
        fix = "the slowest statement's plan is in the JSON (slow_queries): an index or a summary"
    elif cpu >= limit * 0.6:
        fix = "less Python per request (docs/performance.md, CPU per request)"
    else:
        fix = "both: the statements and the Python; the machine's load also counts (see below)"
    if after["p95_ms"] > 2 * after["p50_ms"]:
        fix += f"; p95 is {after['p95_ms'] / after['p50_ms']:.1f}x p50: other work on the cores"
    return f"{reason}. To close: {fix}"


def _p50_p95(measured: dict) -> str:
    return f"{measured['p50_ms']:.1f} / {measured['p95_ms']:.1f}"


def _export_rows(export: dict) -> list[dict]:
    ratio = export["ratio"] or 0
    common = {"area": "export", "role": "manager", "small": "", "ratio": "", "queries": ""}
    first_byte, memory = export["first_byte_ms"], export["memory_growth_mb"]
    return [
        {
            **common,
            "measurement": f"customers CSV, {export['copy_rows']:,} rows: total vs COPY",
            "large": f"{export['seconds']:.1f} s vs {export['copy_seconds']:.2f} s",
            "goal": f"<= {EXPORT_RATIO:g}x COPY",
            "met": export["status"] == 200 and ratio <= EXPORT_RATIO,
            "detail": "" if ratio <= EXPORT_RATIO else f"x{ratio:.1f} > {EXPORT_RATIO:g}",
            "why": "Python formats every cell of every row (crm.csv_export). To close: let "
            "PostgreSQL write the CSV (COPY ... TO STDOUT), or overlap fetching and formatting",
        },
        {
            **common,
            "measurement": "customers CSV: time to first byte (header)",
            "large": f"{first_byte:.0f} ms (first rows {export['first_row_ms']:.0f} ms)",
            "goal": f"<= {EXPORT_FIRST_BYTE_MS:.0f} ms",
            "met": first_byte <= EXPORT_FIRST_BYTE_MS,
            "detail": "" if first_byte <= EXPORT_FIRST_BYTE_MS else f"{first_byte:.0f} ms",
        },
        {
            **common,
            "measurement": f"customers CSV: memory growth ({export['memory_method']})",
            "large": f"{memory:.1f} MB",
            "goal": f"<= {EXPORT_MEMORY_MB:.0f} MB",
            "met": memory <= EXPORT_MEMORY_MB,
            "detail": "" if memory <= EXPORT_MEMORY_MB else f"{memory:.0f} MB",
        },
    ]


def _why_rps(throughput: dict) -> str:
    reasons = []
    if throughput["requests_per_second"] < REQUESTS_PER_SECOND:
        reasons.append(f"{throughput['requests_per_second']:.0f} req/s < {REQUESTS_PER_SECOND:.0f}")
    if throughput["non_2xx"]:
        reasons.append(f"{throughput['non_2xx']} answers not 2xx/3xx")
    return "; ".join(reasons)


def _rps_reason(results: dict, throughput: dict) -> str:
    """Requests per second are bounded by the CPU one request costs on these cores."""
    api = throughput["path"].startswith("/api/")
    page = next(
        (
            m
            for m in results["points"][-1].get("api" if api else "lists", [])
            if m["area"] == ("api customers" if api else "customers")
            and m["label"] == "first page"
            and m["role"] == throughput["role"]
        ),
        None,
    )
    cores = results["machine"].get("cores") or 2
    if not page:
        return "the list page was not measured"
    cpu = page["cpu_p50_ms"]
    return (
        f"one request costs {cpu:.0f} ms of Python CPU, so {cores} cores serve at most "
        f"{cores * 1000 / cpu:.0f} req/s even before PostgreSQL ({page['db_ms']:.0f} ms of "
        "statements) and wrk take their share of the same cores. To close: less Python per "
        "request (docs/performance.md, CPU per request), or more cores"
    )


def markdown(rows: list[dict], small_label: str, large_label: str) -> str:
    header = (
        f"| Area | Measurement | As | {small_label} p50 / p95 ms | {large_label} p50 / p95 ms "
        f"| p95 {large_label}/{small_label} | Queries | Goal | Result |"
    )
    lines = [header, "|" + " --- |" * 9]
    for row in rows:
        result = "met" if row["met"] else f"**NOT met** ({row['detail']})"
        lines.append(
            f"| {row['area']} | {row['measurement']} | {row['role']} | {row['small']} "
            f"| {row['large']} | {row['ratio']} | {row['queries']} | {row['goal']} | {result} |"
        )
    met = sum(row["met"] for row in rows)  # a stage that failed has no row: see "errors"
    lines.append("")
    lines.append(f"{met} of {len(rows)} goals met.")
    missed = [row for row in rows if not row["met"]]
    if missed:
        lines += ["", "Goals not met: why, and what would close them", ""]
        lines += [
            f"- {row['area']} {row['measurement']} ({row['role']}): {row['detail']}. "
            f"{row.get('why') or 'See the JSON.'}"
            for row in missed
        ]
    return "\n".join(lines)


def write_json(results: dict, directory: Path = RESULTS_DIR) -> Path:
    """``bench/results/<timestamp>-scale<scale>.json`` and the same as ``latest.json``."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = directory / f"{stamp}-scale{results['scale']:g}.json"
    text = json.dumps(results, indent=1, ensure_ascii=False, default=str)
    path.write_text(text + "\n", encoding="utf-8")
    (directory / "latest.json").write_text(text + "\n", encoding="utf-8")
    return path
