"""``make bench``: measure the app at a tenth of the scale and at the scale itself.

Run inside scripts/with-postgres.sh (``make bench SCALE=0.1`` for a quick run):

1. migrate and collect the static files (the app runs with ``DEBUG=0``, as in production);
2. generate 0.1 x SCALE (the "100k" point at SCALE=1) and measure the list pages and the
   dashboard as a salesperson and as a manager;
3. generate the rest up to SCALE (the "1M" point) and measure the same pages again, then the
   CSV export of every customer against PostgreSQL's COPY, and the customers list's requests
   per second through gunicorn;
4. at SCALE, the duplicate check per row and the import of 100,000 x SCALE new customers with
   their contacts on the background worker against COPY (bench.imports; last, as it adds them);
5. ``EXPLAIN (ANALYZE, BUFFERS)`` the slowest statement of every page that misses its goal;
6. print the table of goals and write everything to ``bench/results/`` (a timestamped file
   and ``latest.json``).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

#: The app as in production, reachable by the test client ("testserver") and on loopback.
BENCH_ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "crm.settings",
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-not-for-any-real-deployment-0123456789",
    "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "SECURE_HSTS_SECONDS": "0",
    "LOG_LEVEL": "ERROR",
    # The API's rate limit stays on (its cost is measured) but never refuses the bench's
    # requests, which all come from one token per persona.
    "CRM_API_RATE": "1000000",
    "CRM_API_BURST": "1000000",
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repetitions", type=int, default=20, help="timed requests per page")
    parser.add_argument("--budget", type=float, default=4.0, help="seconds per page at most")
    parser.add_argument("--rps-seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    # One sync worker per core measured best here (2, 3 and 4 were tried on 2 cores).
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--no-serve", action="store_true", help="skip the gunicorn run")
    parser.add_argument(
        "--export-as", metavar="USERNAME", help="only measure the CSV export (JSON on stdout)"
    )
    parser.add_argument(
        "--measure-pages", action="store_true", help="measure the pages named on stdin (JSON)"
    )
    parser.add_argument(
        "--import-rows", type=int, help="rows of the import measured (default 100,000 x SCALE)"
    )
    parser.add_argument("--no-import", action="store_true", help="skip the import")
    parser.add_argument(
        "--measure-import",
        action="store_true",
        help="measure the duplicate checks and the import for the users on stdin (JSON)",
    )
    args = parser.parse_args(argv)
    for name, value in BENCH_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    # A cache of the bench's own, never the checkout's (.cache/, the demo server's).
    os.environ.setdefault("CRM_CACHE_DIR", tempfile.mkdtemp(prefix="crm-bench-cache-"))
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print(
            "make bench needs PostgreSQL: run it through scripts/with-postgres.sh", file=sys.stderr
        )
        return 2

    import django

    django.setup()
    if args.export_as:
        return export_only(args.export_as)
    if args.measure_pages:
        return measure_pages(json.load(sys.stdin))
    if args.measure_import:
        from bench.imports import measure_only

        return measure_only(json.load(sys.stdin))
    results = run(args)
    return 0 if results else 1


def run(args) -> dict:
    from django.core.management import call_command

    from bench import api as api_bench
    from bench import machine, measure, report
    from bench.checks import rule_violations
    from bench.generate import generate
    from bench.serve import requests_per_second, session_cookie

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    results = {
        "started_at": datetime.now().isoformat(timespec="seconds"),
        "scale": args.scale,
        "machine": machine.machine(),
        "postgres": machine.postgres_settings(),
        "method": {
            "server_time": "wall time of django.test.Client.get in process (DEBUG=0)",
            "percentiles": "nearest rank over the timed samples, after one capture + one warm-up",
            "repetitions": args.repetitions,
            "budget_seconds": args.budget,
        },
        "points": [],
        "errors": [],
    }
    personas = list_pages = dashboards = api_lists = None
    for scale in (args.scale / 10, args.scale):
        print(f"\n== Generating scale {scale:g}")
        generation = generate(scale, log=print)
        print(generation.summary())
        violations = {rule: n for rule, n in rule_violations().items() if n}
        if violations:
            print(f"  RULES BROKEN by the generated data: {violations}")
        if personas is None:
            personas = measure.Personas.find()
            list_pages = measure.list_scenarios(personas)
            dashboards = measure.dashboard_scenarios(personas)
            api_lists = api_bench.api_scenarios(personas)
        label = report.size_label(generation.counts["customers"])
        print(f"\n== Measuring at {label} customers")
        point = {
            "label": label,
            "load_average_before": os.getloadavg(),
            "counts": generation.counts,
            "generation": {
                "seconds": round(generation.seconds, 1),
                "phases": {k: round(v, 1) for k, v in generation.phases.items()},
                "added": generation.added,
            },
            "rule_violations": violations,
        }
        point.update(
            measure_in_fresh_process(
                {"lists": list_pages, "dashboard": dashboards, "api": api_lists}, personas, args
            )
        )
        point["load_average_after"] = os.getloadavg()
        results["points"].append(point)

    print("\n== CSV export of every customer (manager) against COPY, in a fresh process")
    try:
        results["export"] = export_in_fresh_process(personas.manager.username)
        export = results["export"]
        print(
            f"  export {export['seconds']:.1f} s, COPY {export['copy_seconds']:.2f} s, first "
            f"byte {export['first_byte_ms']:.0f} ms, memory +{export['memory_growth_mb']:.1f} MB"
        )
    except subprocess.CalledProcessError as error:  # the table says so; the run goes on
        results["errors"].append(f"export: {error.stderr[-2000:]}")
        print(f"  FAILED: {error.stderr[-2000:]}")
    results["throughput"] = []
    clients = measure.clients_for(personas)
    print("\n== Plans of the HTTP API's first and deep cursor pages")
    users = dict(personas.items())
    results["api_plans"] = api_bench.cursor_plans(api_lists, clients, users)
    for plan in results["api_plans"]:
        print(
            f"  {plan['area']:<20} {plan['measurement']:<26} {plan['role']:<11} "
            f"{'reads the page' if plan['index_only'] else plan['whole_reads']}"
        )
    if not args.no_serve:
        print("\n== Customers list and its API through gunicorn")
        for role, path in [(r, p) for p in ("/customers/", "/api/v1/customers/") for r in clients]:
            header = session_cookie(clients[role])
            if path.startswith("/api/"):
                header = f"Authorization: {clients[role].defaults['HTTP_AUTHORIZATION']}"
            try:
                throughput = requests_per_second(
                    path,
                    header,
                    workers=args.workers,
                    connections=args.connections,
                    seconds=args.rps_seconds,
                )
            except (RuntimeError, OSError, subprocess.CalledProcessError) as error:
                results["errors"].append(f"gunicorn {path} as {role}: {error}")
                print(f"  FAILED {path} as {role}: {error}")
                continue
            throughput["role"] = role
            results["throughput"].append(throughput)
            rps = throughput["requests_per_second"]
            print(f"  {path} {role}: {rps:.0f} req/s ({throughput['client']})")

    if not args.no_import:
        measure_import(results, personas, args)

    rows = report.goal_rows(results)
    results["goals"] = rows
    results["slow_queries"] = explain_misses(results, rows)
    results["seconds"] = round(time.perf_counter() - started)
    results["load_average_end"] = os.getloadavg()
    labels = [point["label"] for point in results["points"]]
    table = report.markdown(rows, labels[0], labels[-1])
    results["table"] = table
    path = report.write_json(results)
    print("\n" + table)
    for error in results["errors"]:
        print(f"NOT MEASURED: {error}")
    print(f"\nGeneration: {generation_summary(results)}")
    print(f"Results: {path} (and latest.json); {results['seconds']} s in all")
    loads = [p["load_average_before"][0] for p in results["points"]]
    print(
        f"Load average (1 min) when each point began: {', '.join(f'{x:.1f}' for x in loads)}, "
        f"at the end {results['load_average_end'][0]:.1f} ({os.cpu_count()} cores): other work "
        "on the machine shows up in every figure."
    )
    return results


def measure_import(results: dict, personas, args) -> None:
    """The duplicate checks and the import, in a fresh process with its own worker; measured
    last, since the import adds its customers to the database."""
    from bench import imports

    rows = args.import_rows or imports.rows_for(args.scale)
    print(f"\n== Duplicate checks, then {rows:,} customers imported on the background worker")
    users = {role: user.username for role, user in personas.items()}
    try:
        measured = imports.measure_in_fresh_process(users, rows)
    except subprocess.CalledProcessError as error:  # its output is above; the run goes on
        results["errors"].append(f"import: exit status {error.returncode}, see its output")
        print(f"  FAILED (exit status {error.returncode})")
        return
    results["duplicate_checks"] = measured["duplicate_checks"]
    results["import"] = measured["import"]
    print(imports.summary(measured["import"]))


def measure_in_fresh_process(scenarios: dict, personas, args) -> dict:
    """Each size's pages measured by a new process, as a new server worker would serve them:
    this one has just generated millions of rows, and its heap makes every request slower
    (measured: 3-4 ms more Python per page at 1M than in a fresh process)."""
    payload = {
        "users": {role: user.username for role, user in personas.items()},
        "scenarios": {key: [vars(s) for s in listed] for key, listed in scenarios.items()},
        "repetitions": args.repetitions,
        "budget": args.budget,
    }
    finished = subprocess.run(
        [sys.executable, "-m", "bench.run", "--measure-pages"],
        input=json.dumps(payload),
        stdout=subprocess.PIPE,  # the results; the progress lines go to stderr as they come
        text=True,
        check=True,
        # An empty cache per size: the team's figures of the smaller size are not served again.
        env={**os.environ, "CRM_CACHE_DIR": tempfile.mkdtemp(prefix="crm-bench-cache-")},
        cwd=Path(__file__).resolve().parent.parent,
    )
    return json.loads(finished.stdout)


def measure_pages(payload: dict) -> int:
    from django.contrib.auth import get_user_model

    from bench import api as api_bench
    from bench import measure

    users = payload["users"].items()
    personas = {role: get_user_model().objects.get(username=name) for role, name in users}
    clients = measure.clients_for(measure.Personas(**personas))
    results = {}
    for key, listed in payload["scenarios"].items():
        scenarios = [measure.Scenario(**fields) for fields in listed]
        scenarios = api_bench.with_deep_cursors(scenarios, personas)
        measured = measure.measure(
            scenarios,
            clients,
            repetitions=payload["repetitions"],
            budget=payload["budget"],
            log=lambda line: print(line, file=sys.stderr, flush=True),
        )
        results[key] = [{**vars(scenario), **timing.as_dict()} for scenario, timing in measured]
    json.dump(results, sys.stdout)
    return 0


def export_only(username: str) -> int:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from bench.export import measure_export

    user = get_user_model().objects.get(username=username)
    client = Client()
    client.force_login(user)
    json.dump(measure_export(client, user), sys.stdout)
    return 0


def export_in_fresh_process(username: str) -> dict:
    """The export measured in a new process (see bench.export on memory)."""
    finished = subprocess.run(
        [sys.executable, "-m", "bench.run", "--export-as", username],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ.copy(),
        cwd=Path(__file__).resolve().parent.parent,
    )
    return json.loads(finished.stdout)


def explain_misses(results: dict, rows: list[dict]) -> list[dict]:
    """The plan of the slowest statement of each page and duplicate check that missed its goal
    (largest size), and of the export's SELECT."""
    from bench.measure import explain

    missed = {(r["area"], r["measurement"], r["role"]) for r in rows if not r["met"]}
    largest = results["points"][-1]
    plans, seen = [], set()
    for measured in [*largest["lists"], *largest.get("api", []), *largest["dashboard"]]:
        key = (measured["area"], measured["label"], measured["role"])
        sql = measured["slowest_query"]
        if key not in missed or not sql or sql in seen:
            continue
        seen.add(sql)
        plans.append(_plan(key, measured["slowest_query_ms"], sql, explain))
    for check in results.get("duplicate_checks", []):
        key = ("duplicates", check["check"], check["role"])
        sql = check["slowest_query"]
        if key in missed and sql and sql not in seen:
            seen.add(sql)
            plans.append(_plan(key, check["slowest_query_ms"], sql, explain))
    if results.get("export"):
        sql = results["export"]["copy_sql"]
        plans.append(_plan(("export", "customers CSV SELECT", "manager"), None, sql, explain))
    return plans


def _plan(key, captured_ms, sql, explain) -> dict:
    try:
        plan = explain(sql)
    except Exception as error:  # a plan that fails should not lose the whole run
        plan = f"EXPLAIN failed: {error}"
    return {
        "area": key[0],
        "measurement": key[1],
        "role": key[2],
        "captured_ms": captured_ms,
        "sql": sql,
        "plan": plan,
    }


def generation_summary(results: dict) -> str:
    return "; ".join(
        f"{point['label']}: {point['generation']['seconds']} s "
        f"({', '.join(f'{k} {v} s' for k, v in point['generation']['phases'].items())})"
        for point in results["points"]
    )


if __name__ == "__main__":
    sys.exit(main())
