"""The benchmark's report: each goal met or not, and for a missed one the figure, where the
time went and what would close it (bench.report)."""

from bench.api import whole_reads
from bench.report import goal_rows, markdown


def page(p95, *, cpu=10.0, db=5.0, role="manager", label="first page"):
    return {
        "area": "customers",
        "label": label,
        "role": role,
        "status": 200,
        "p50_ms": p95 * 0.9,
        "p95_ms": p95,
        "queries": 8,
        "cpu_p50_ms": cpu,
        "db_ms": db,
        "slowest_query_ms": db / 2,
    }


def results(large_page, *, rps=250.0):
    return {
        "machine": {"cores": 2},
        "points": [
            {"lists": [page(20.0)], "dashboard": []},
            {"lists": [large_page], "dashboard": []},
        ],
        "throughput": [
            {
                "requests_per_second": rps,
                "non_2xx": 0,
                "path": "/customers/",
                "client": "wrk",
                "connections": 8,
                "workers": 2,
                "role": "manager",
                "latency_ms": {"50": 30},
            }
        ],
    }


def test_goals_met_need_no_explanation():
    text = markdown(goal_rows(results(page(22.0))), "100k", "1M")

    assert "2 of 2 goals met." in text
    assert "Goals not met" not in text


def test_a_slow_page_says_where_its_time_goes_and_what_would_close_it():
    slow = page(90.0, cpu=12.0, db=70.0)

    text = markdown(goal_rows(results(slow)), "100k", "1M")

    assert "**NOT met** (p95 90 ms > 40; x4.50 > 1.2)" in text
    assert "Goals not met: why, and what would close them" in text
    assert "Python 12 ms of CPU + 8 statements 70 ms (slowest 35 ms)" in text
    assert "an index or a summary" in text


def test_a_cpu_bound_page_and_throughput_point_at_python():
    busy = page(45.0, cpu=38.0, db=3.0)

    text = markdown(goal_rows(results(busy, rps=40.0)), "100k", "1M")

    assert "less Python per request" in text
    assert "40 req/s < 200" in text
    assert "2 cores serve at most 53 req/s" in text


def test_a_page_that_only_grew_says_by_how_much():
    grown = page(30.0, cpu=14.0, db=9.0)

    text = markdown(goal_rows(results(grown)), "100k", "1M")

    assert "**NOT met** (x1.50 > 1.2)" in text
    assert (
        "p95 20.0 -> 30.0 ms: Python CPU 10.0 -> 14.0 ms (+4.0), statements 5 -> 9 ms (+4" in text
    )


def duplicates_page(p95):
    return {**page(p95), "area": "duplicates"}


def test_the_duplicates_page_is_held_to_its_own_goal_without_the_ratio():
    data = results(page(22.0))
    data["points"][0]["lists"].append(duplicates_page(10.0))
    data["points"][1]["lists"].append(duplicates_page(45.0))

    row = goal_rows(data)[1]

    assert (row["area"], row["goal"], row["met"]) == (
        "duplicates",
        "p95 <= 50 ms, queries constant",
        True,
    )


def imported(seconds, *, memory=20.0, rows=10_000, created=10_000):
    return {
        "rows": rows,
        "seconds": seconds,
        "status": "done",
        "error": "",
        "counts": {"created": created, "updated": 0, "skipped": 0, "failed": 0},
        "upload_seconds": 0.2,
        "run_seconds": seconds - 0.2,
        "worker_cpu_seconds": seconds * 0.6,
        "checker_cpu_seconds": seconds * 0.3,
        "postgres_cpu_seconds": seconds * 0.2,
        "memory_growth_mb": memory,
        "memory_method": "VmHWM growth",
        "ratio": seconds / 0.5,
        "copy": {"seconds": 0.5, "rows": rows, "scratch_seconds": 0.02},
        # (seconds, rows done, resident set in KB) as the poller saw them
        "progress": [
            (0, 0, 70_000),
            (5, 5_000, 80_000),
            (10, 10_000, 90_000),
            (11, 10_000, 150_000),
        ],
        "profile": {
            "rows": 200,
            "statements_per_row": 15.0,
            "statements": [
                {"kind": "SAVEPOINT", "per_row": 3.0},
                {"kind": "RELEASE SAVEPOINT", "per_row": 3.0},
                {"kind": "INSERT customers_customer", "per_row": 1.0},
                {"kind": "INSERT imports_importrow", "per_row": 0.005},
            ],
            "stages": [{"stage": "duplicate check (find_matches_keyed)", "share": 0.36}],
        },
    }


def test_an_import_within_its_scaled_goal_is_met():
    data = {**results(page(22.0)), "import": imported(5.0)}

    rows = [row for row in goal_rows(data) if row["area"] == "import"]

    assert [(row["goal"], row["met"]) for row in rows] == [
        ("<= 6 s (60 s per 100k rows)", True),
        ("<= 100 MB", True),
    ]
    assert rows[0]["large"] == "5.0 s, 2000 rows/s; COPY 0.50 s (x10)"


def test_a_slow_import_says_where_a_rows_time_goes_and_what_would_close_it():
    data = {**results(page(22.0)), "import": imported(134.0)}

    text = markdown(goal_rows(data), "100k", "1M")

    assert "**NOT met** (134 s > 6)" in text
    assert "13.4 ms per row on the worker" in text
    assert "its Python 8.0 ms of CPU (its checker process 4.0 ms), PostgreSQL 2.7 ms" in text
    assert "15 statements per row, one round trip each (6 savepoint statements; " in text
    assert "INSERT customers_customer 1)" in text
    assert "duplicate check 36%" in text
    assert "To close (x22.3 needed): the rows already go in a batch at a time" in text


def test_a_slow_import_quotes_what_the_batch_duplicate_check_costs_here():
    many = {**check_of_a_batch(), "p50_ms": 40.0, "p95_ms": 45.0, "slowest_query_ms": 12.0}
    data = {**results(page(22.0)), "import": imported(134.0), "duplicate_checks": [many]}

    text = markdown(goal_rows(data), "100k", "1M")

    assert "one duplicate check per batch (here 40 ms per 1,000 candidates, 12 of them" in text


def test_an_import_whose_worker_memory_grows_per_row_says_so():
    data = {**results(page(22.0)), "import": imported(5.0, memory=150.0)}

    text = markdown(goal_rows(data), "100k", "1M")

    assert "**NOT met** (150 MB)" in text
    assert "grew 2.0 KB per row while the rows were stored" in text
    assert "then 59 MB more while the result file was written" in text
    assert "find what outlives its batch" in text
    assert "find what write_result holds" in text


def check_of_a_batch():
    return {
        "check": "find_matches_many, 1,000 candidates (half existing)",
        "role": "salesperson",
        "candidates_per_call": 1000,
        "p50_ms": 100.0,
        "p95_ms": 140.0,
        "queries": 4,
        "db_ms": 30.0,
        "slowest_query_ms": 20.0,
        "slowest_query": 'SELECT "phone_normalized", "pk", "owner_id" FROM (...)',
    }


def test_a_duplicate_check_over_its_goal_says_whether_statements_or_python_cost_it():
    data = {**results(page(22.0)), "duplicate_checks": [check_of_a_batch()]}

    text = markdown(goal_rows(data), "100k", "1M")

    assert "| 100.0 / 140.0 (0.14 per candidate) |" in text
    assert "**NOT met** (p95 140 ms > 50)" in text
    assert (
        "4 statements 30 ms in the first call (slowest 20 ms); p50 100 ms, so Python about 70"
        in text
    )
    assert "70 µs of Python per candidate" in text


def test_a_duplicate_check_slowed_by_one_statement_names_it():
    slow = {**check_of_a_batch(), "p50_ms": 900.0, "p95_ms": 950.0, "db_ms": 880.0}
    data = {**results(page(22.0)), "duplicate_checks": [slow]}

    text = markdown(goal_rows(data), "100k", "1M")

    assert (
        "To close: the phone_normalized statement: its plan is in the JSON (slow_queries)" in text
    )


def api_page(p95, **kwargs):
    return {**page(p95, **kwargs), "area": "api customers"}


def test_the_apis_lists_are_held_to_the_list_pages_goals():
    data = results(page(22.0))
    data["points"][0]["api"] = [api_page(10.0)]
    data["points"][1]["api"] = [api_page(45.0, db=30.0)]

    rows = goal_rows(data)
    row = next(r for r in rows if r["area"] == "api customers")

    assert row["goal"] == "p95 <= 40 ms, x <= 1.2, queries constant"
    assert row["met"] is False
    assert row["detail"] == "p95 45 ms > 40; x4.50 > 1.2"


#: Plans as PostgreSQL prints them (EXPLAIN ANALYZE), shortened.
INDEX_PLAN = """Limit  (cost=30.59..30.59 rows=1 width=463) (actual time=0.061..0.063 rows=1 loops=1)
  ->  Sort  (cost=30.59..30.59 rows=1 width=463) (actual time=0.060..0.061 rows=1 loops=1)
        Sort Key: customers_customer.updated_at DESC, customers_customer.id DESC
        ->  Nested Loop  (cost=4.48..30.58 rows=1 width=463) (actual time=0.047..0.053 rows=1 loops=1)
              ->  Bitmap Heap Scan on customers_customer  (cost=4.48..27.91 rows=1 width=283) (actual time=0.026..0.030 rows=1 loops=1)
                    ->  Bitmap Index Scan on customer_owner_updated  (cost=0.00..4.48 rows=6 width=0) (actual time=0.017..0.017 rows=2 loops=1)
              ->  Seq Scan on auth_user  (cost=0.00..2.66 rows=1 width=164) (actual time=0.019..0.019 rows=1 loops=1)"""
SORT_PLAN = """Limit  (cost=9.0..9.1 rows=51 width=463) (actual time=80.1..80.2 rows=51 loops=1)
  ->  Sort  (cost=9.0..9.1 rows=90000 width=463) (actual time=80.1..80.1 rows=51 loops=1)
        Sort Method: top-N heapsort  Memory: 60kB
        ->  Seq Scan on customers_customer  (cost=0.00..2.66 rows=90000 width=164) (actual time=0.019..40.0 rows=90000 loops=1)"""


def test_a_plan_reads_more_than_the_page_only_by_a_seq_scan_of_the_list_or_a_big_sort():
    assert whole_reads(INDEX_PLAN, "customers_customer") == []
    assert whole_reads(SORT_PLAN, "customers_customer") == [
        "Sort of 90000 rows",
        "Seq Scan on customers_customer",
    ]


def deep_plan(plan, role="manager"):
    reads = whole_reads(plan, "customers_customer")
    return {
        "area": "api customers",
        "measurement": "cursor page at row 5,000",
        "role": role,
        "sql": "SELECT ... LIMIT 51",
        "plan": plan,
        "whole_reads": reads,
        "index_only": not reads,
    }


def test_a_deep_cursor_page_that_reads_its_index_meets_its_goal_and_one_that_sorts_does_not():
    data = results(page(22.0))
    data["api_plans"] = [
        deep_plan(INDEX_PLAN),
        deep_plan(SORT_PLAN, "x"),
        {**deep_plan(SORT_PLAN), "measurement": "first page"},  # no row of its own
    ]

    rows = [row for row in goal_rows(data) if row["measurement"].endswith(": plan")]
    text = markdown(goal_rows(data), "100k", "1M")

    assert [(row["role"], row["large"], row["met"]) for row in rows] == [
        ("manager", "the page's rows", True),
        ("x", "Sort of 90000 rows, Seq Scan on customers_customer", False),
    ]
    assert "reads the sort's index: no Seq Scan of the list, no Sort of more rows" in text


def test_the_apis_requests_per_second_are_explained_by_its_own_list():
    data = results(page(22.0), rps=40.0)
    data["points"][1]["api"] = [api_page(30.0, cpu=25.0)]
    data["throughput"][0]["path"] = "/api/v1/customers/"

    text = markdown(goal_rows(data), "100k", "1M")

    assert "req/s /api/v1/customers/" in text
    assert "one request costs 25 ms of Python CPU" in text
