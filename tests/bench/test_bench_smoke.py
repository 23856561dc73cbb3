"""`make bench`'s own code still works: the generator at a tiny scale and one pass of every
measurement. Only data rules and query counts are asserted here, never a timing."""

import pytest
from django.db import connection

from bench import api as api_bench
from bench import generate as generator
from bench import measure
from bench.checks import rule_violations
from bench.export import measure_export
from bench.generate import BenchDataError, ensure_bench_users, generate, planned_counts
from bench.rows import COLUMNS, RowMaker
from customers.models import Customer, Tag

pytestmark = pytest.mark.django_db


def _index_names():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")
        return {row[0] for row in cursor.fetchall()}


def test_generator_writes_the_planned_rows_and_keeps_every_rule(monkeypatch):
    monkeypatch.setattr(generator, "REBUILD_INDEXES_FROM", 500)  # the big-load path, small
    indexes = _index_names()

    report = generate(0.001)

    assert (
        report.counts
        == planned_counts(1000)
        == {
            "customers": 1000,
            "opportunities": 1000,
            "communications": 3000,
            "quotes": 200,
            "orders": 100,
        }
    )
    assert _index_names() == indexes
    assert {rule: n for rule, n in rule_violations().items() if n} == {}


def test_generator_adds_only_what_is_missing_when_the_scale_grows():
    generate(0.001)
    report = generate(0.0015)

    assert report.customers_before == 1000
    assert report.added["customer"] == 500
    assert report.counts == planned_counts(1500)
    assert {rule: n for rule, n in rule_violations().items() if n} == {}


def test_rows_of_a_block_do_not_depend_on_where_a_run_starts():
    users = ensure_bench_users()
    tags = list(Tag.objects.values_list("pk", flat=True)) or [1]

    def rows_from(start):
        rows = {model: [] for model in COLUMNS}
        RowMaker(seed=7, users=users, tag_ids=tags).block(0, start, 1000, rows)
        return rows

    whole, tail = rows_from(0), rows_from(600)

    assert tail[Customer] == [row for row in whole[Customer] if row[0] > 600]
    assert len(tail[Customer]) == 400


def test_generator_refuses_a_database_with_other_customers(customer):
    with pytest.raises(BenchDataError):
        generate(0.001)


def test_list_pages_and_dashboard_cost_the_same_queries_at_two_sizes(settings):
    generate(0.001)
    personas = measure.Personas.find()
    scenarios = [*measure.list_scenarios(personas), *measure.dashboard_scenarios(personas)]
    clients = measure.clients_for(personas)

    # One request per page (the one that counts queries): this test is about queries.
    small = measure.measure(scenarios, clients, repetitions=0)
    generate(0.003)
    large = measure.measure(scenarios, clients, repetitions=0)

    assert [timing.status for _, timing in small + large] == [
        scenario.expected_status for scenario, _ in small + large
    ]
    changed = [
        (scenario.area, scenario.label, scenario.role, before.queries, after.queries)
        for (scenario, before), (_, after) in zip(small, large, strict=True)
        # An empty page skips the queries of its rows (e.g. tags): compare pages with rows.
        if before.rows != 0 and after.rows != 0 and before.queries != after.queries
    ]
    assert changed == []
    with_rows = [t.rows for s, t in large if s.area != "dashboard" and t.rows]
    assert len(with_rows) > 0.9 * len(measure.list_scenarios(personas))  # not a vacuous check


def test_timing_takes_the_samples_asked_for():
    generate(0.001)
    personas = measure.Personas.find()
    clients = measure.clients_for(personas)

    measured = measure.measure(measure.dashboard_scenarios(personas), clients, repetitions=2)

    # The third works the team's figures out, then redirects to the dashboard's plain address.
    assert [(t.status, t.samples, len(t.samples_ms)) for _, t in measured] == [
        (200, 2, 2),
        (200, 2, 2),
        (302, 2, 2),
    ]
    assert all(t.p50_ms <= t.p95_ms and t.queries and t.slowest_query for _, t in measured)


def test_export_measurement_streams_every_customer_and_compares_with_copy():
    generate(0.001)
    personas = measure.Personas.find()
    client = measure.clients_for(personas)["manager"]

    result = measure_export(client, personas.manager)

    assert result["status"] == 200
    assert result["copy_rows"] == Customer.objects.filter(archived_at__isnull=True).count()
    assert result["bytes"] > result["copy_bytes"] / 2  # the same rows, formatted by Django
    assert result["chunks"] >= 2


def test_api_lists_cost_the_same_queries_at_two_sizes_and_their_plans_are_kept():
    generate(0.001)
    personas = measure.Personas.find()
    users = dict(personas.items())
    scenarios = api_bench.api_scenarios(personas)
    clients = measure.clients_for(personas)

    small = measure.measure(api_bench.with_deep_cursors(scenarios, users), clients, repetitions=0)
    generate(0.003)
    large = measure.measure(api_bench.with_deep_cursors(scenarios, users), clients, repetitions=0)

    assert {timing.status for _, timing in small + large} == {200}
    assert {s.label.split()[0] for s in scenarios} == {
        "first",
        "filter",
        "search",
        "sort",
        "cursor",
    }
    assert {s.area for s in scenarios} == {f"api {spec.name}" for spec in api_bench.LISTS}
    changed = [
        (scenario.area, scenario.label, scenario.role, before.queries, after.queries)
        for (scenario, before), (_, after) in zip(small, large, strict=True)
        if before.rows and after.rows and before.queries != after.queries
    ]
    assert changed == []
    assert sum(1 for _, t in large if t.rows) > 0.8 * len(scenarios)
    plans = api_bench.cursor_plans(scenarios, clients, users)
    deep = [plan for plan in plans if plan["measurement"] == api_bench.DEEP_LABEL]
    assert len(deep) == 2 * len(api_bench.LISTS)
    assert all("LIMIT 51" in plan["sql"] and "Limit" in plan["plan"] for plan in deep)


def test_a_deep_cursor_continues_the_walk_where_it_reached():
    generate(0.001)
    manager = measure.Personas.find().manager
    spec = api_bench.LISTS[0]
    client = measure.clients_for(measure.Personas(salesperson=manager, manager=manager))["manager"]

    cursor = api_bench.deep_cursor(spec, manager, rows=120)
    walked, url = [], "/api/v1/customers/?limit=60"
    for _ in range(2):
        page = client.get(url).json()
        walked += [item["id"] for item in page["items"]]
        url = f"/api/v1/customers/?limit=60&cursor={page['next']}"
    after = client.get(f"/api/v1/customers/?limit=5&cursor={cursor}").json()["items"]

    assert len(walked) == 120
    assert [item["id"] for item in after] == [
        item["id"] for item in client.get(url.replace("limit=60", "limit=5")).json()["items"]
    ]
