"""The benchmark's report: each goal met or not, and for a missed one the figure, where the
time went and what would close it (bench.report)."""

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
