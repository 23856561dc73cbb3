"""The import of customers with their contacts (issue 11), measured through the real path: a
CSV file uploaded and started as one salesperson (``imports.services.upload``, ``set_mapping``,
``start``) and run by the background worker (``manage.py run_worker``, a process of its own on
the same database), against PostgreSQL's ``COPY`` of the same rows.

- The file: ``rows`` customers (100,000 at SCALE=1, scaled with SCALE), each with one contact,
  made of bench.vocabulary's words. Every row is new: the names carry a branch number, the
  e-mails a domain and the phones a prefix (+86 17x) the generated customers never have, so
  the run creates every row (the costliest path) instead of skipping duplicates.
- End to end: the upload (the file read once to count its rows, and kept), then from "start"
  to the run marked done by the worker (the rows, a batch per transaction, and the result
  file). Timestamps of the run (``confirmed_at``, ``started_at``, ``finished_at``) split it.
- Memory: the worker's peak resident set (``VmHWM``) against its resident set when the import
  started, the peak reset just before (``/proc/<pid>/clear_refs``); the worker has run a small
  import first, as a worker that has served before.
- CPU: the worker's own (``/proc/<pid>/stat``) and PostgreSQL's (every process of the bench's
  server), each over the run.
- COPY: the same rows (their keys computed beforehand) into customers and contacts with all
  their indexes, in a transaction rolled back; and the CSV file as it is into a scratch table.

bench.import_profile says where the time of one batch goes; bench.duplicate_checks times the
duplicate check alone.
"""

import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import connection, transaction
from django.db.models import Max
from django.utils import translation
from psycopg import sql

from bench import vocabulary as words
from bench.import_profile import profile_batch
from bench.rows import COLUMNS
from bench.worker import PostgresCpu, Worker
from customers.models import Contact, Customer
from customers.querysets import email_key, name_key, normalize_phone
from imports import services
from imports.models import ImportRun, OnDuplicate

ROWS_AT_SCALE_ONE = 100_000
SEED = 20261203
#: The file's columns, in order, and the field each is mapped to.
MAPPING = {
    "Name": "name",
    "Industry": "industry",
    "Status": "status",
    "Source": "source",
    "Phone": "phone",
    "E-mail": "email",
    "Website": "website",
    "Address": "address",
    "Contact name": "contact_name",
    "Contact title": "contact_title",
    "Contact e-mail": "contact_email",
    "Contact phone": "contact_phone",
}
POLL_SECONDS = 0.25


def rows_for(scale: float) -> int:
    """Rows imported at ``scale``: 100,000 at 1, at least 1,000."""
    return max(1_000, round(ROWS_AT_SCALE_ONE * scale))


def records(count: int, *, seed: int = SEED) -> list[dict]:
    """The model values of the file's rows (row ``n`` is number ``n``, from 1)."""
    rng = random.Random(f"import:{seed}")
    made = []
    for n in range(1, count + 1):
        company = words.company_name(rng)
        name = f"{company} Branch {n}" if company.isascii() else f"{company}第{n}分公司"
        phone = f"+86 17{rng.randrange(10)} {n // 10_000 % 10_000:04d} {n % 10_000:04d}"
        made.append(
            {
                "name": name,
                "industry": rng.choice(Customer.Industry.values),
                "status": rng.choices(Customer.Status.values, (4, 3, 5, 1))[0],
                "source": rng.choice(Customer.Source.values),
                "phone": phone,
                "email": f"office{n}@branch{n % 97}.example.net",
                "website": f"https://www.branch{n}.example.net" if rng.random() < 0.5 else "",
                "address": rng.choice(words.ADDRESSES),
                "contact_name": words.person_name(rng),
                "contact_title": rng.choice(words.TITLES),
                "contact_email": f"contact{n}@branch{n % 97}.example.net",
                "contact_phone": words.phone(rng)[0],
            }
        )
    return made


def write_file(path: Path, made: list[dict]) -> None:
    """The rows as a spreadsheet exported to CSV holds them: labels, not codes (UTF-8, BOM)."""
    labels = {
        field: dict(Customer._meta.get_field(field).choices)
        for field in ("industry", "status", "source")
    }
    with translation.override("en"), path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(MAPPING)
        for record in made:
            writer.writerow(
                str(labels[field][record[field]]) if field in labels else record[field]
                for field in MAPPING.values()
            )


def measure_import(user, rows: int, *, directory: Path, log=print) -> dict:
    """Import ``rows`` new customers as ``user`` on a worker started for it; the COPY of the
    same rows afterwards (rolled back). Returns every figure (bench.report reads them)."""
    made = records(rows)
    path = directory / f"customers-{rows}.csv"
    write_file(path, made)
    customers_before, contacts_before = Customer.objects.count(), Contact.objects.count()
    log(f"  file: {rows:,} rows, {path.stat().st_size / 1e6:.1f} MB; profiling one batch")
    one_batch = directory / "one-batch.csv"
    write_file(one_batch, made[: settings.CRM_IMPORT_BATCH_ROWS])
    profile = profile_batch(user, one_batch, mapping=MAPPING)
    with Worker(directory / "worker.log") as worker:
        _warm_up(worker, user, directory)
        log(f"  worker {worker.pid} ready; importing")
        measured = _run_on_worker(worker, user, path, log=log)
    measured["rows"] = rows
    measured["customers_added"] = Customer.objects.count() - customers_before
    measured["contacts_added"] = Contact.objects.count() - contacts_before
    measured["profile"] = profile
    measured["copy"] = copy_baseline(made, user, path)
    measured["ratio"] = measured["seconds"] / measured["copy"]["seconds"]
    return measured


def _run_on_worker(worker, user, path: Path, *, log) -> dict:
    began = time.perf_counter()
    with path.open("rb") as file:
        run = services.upload(by=user, kind="customers", file=File(file), file_name=path.name)
    run = services.set_mapping(
        run_id=run.pk, by=user, mapping=MAPPING, on_duplicate=OnDuplicate.SKIP
    )
    uploaded = time.perf_counter() - began
    worker.reset_peak()
    postgres = PostgresCpu()
    cpu_before, progress = worker.cpu_seconds(), []
    children_before = worker.children_cpu_seconds()
    started = time.perf_counter()
    services.start(run_id=run.pk, by=user)
    while True:
        current = ImportRun.objects.get(pk=run.pk)
        progress.append(
            (round(time.perf_counter() - started, 2), current.next_row, worker.rss_kb())
        )
        postgres.sample()
        worker.sample_children()
        if current.is_finished or worker.poll() is not None:
            break
        if len(progress) % 120 == 0:
            log(f"  {current.next_row:,} / {current.total_rows:,} rows")
        time.sleep(POLL_SECONDS)
    waited = time.perf_counter() - started
    run = current
    timestamps = (run.confirmed_at, run.started_at, run.finished_at)
    done = None not in timestamps
    return {
        "status": run.status,
        "error": run.error,
        "attempts": run.attempts,
        "counts": {
            "created": run.created_count,
            "updated": run.updated_count,
            "skipped": run.skipped_count,
            "failed": run.failed_count,
        },
        "upload_seconds": uploaded,
        "queue_seconds": (run.started_at - run.confirmed_at).total_seconds() if done else None,
        "run_seconds": (run.finished_at - run.started_at).total_seconds() if done else None,
        "rows_seconds": _rows_seconds(progress, run.total_rows),
        "seconds": uploaded
        + ((run.finished_at - run.confirmed_at).total_seconds() if done else waited),
        "worker_cpu_seconds": worker.cpu_seconds() - cpu_before,
        "checker_cpu_seconds": worker.children_cpu_seconds() - children_before,
        "postgres_cpu_seconds": postgres.seconds(),
        "memory_growth_mb": worker.peak_growth_mb(),
        "memory_method": worker.memory_method,
        "batch_rows": settings.CRM_IMPORT_BATCH_ROWS,
        "progress": progress,
    }


def _rows_seconds(progress: list, total: int) -> float | None:
    """When the poller first saw every row stored (the result file is written after)."""
    return next((seconds for seconds, done, _rss in progress if total and done >= total), None)


def _warm_up(worker, user, directory: Path) -> None:
    """A two-row import first (one row failing, one matching the user's own customer, so
    nothing is stored): the worker has then loaded the import's code as one that served
    before, and is known to be polling."""
    own = Customer.objects.filter(owner=user).order_by("pk").first()
    path = directory / "warm-up.csv"
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["Name", "E-mail"])
        writer.writerow([own.name if own else "Nobody", own.email if own else ""])
        writer.writerow(["Warm-up", "not an e-mail"])
    with path.open("rb") as file:
        run = services.upload(by=user, kind="customers", file=File(file), file_name=path.name)
    services.set_mapping(run_id=run.pk, by=user, mapping={"Name": "name", "E-mail": "email"})
    services.start(run_id=run.pk, by=user)
    deadline = time.monotonic() + 120
    while not ImportRun.objects.get(pk=run.pk).is_finished:
        if worker.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the worker did not run the warm-up import: {worker.log_tail()}")
        time.sleep(0.1)


def copy_baseline(made: list[dict], user, path: Path) -> dict:
    """PostgreSQL's COPY of the same rows: into customers and contacts (keys computed
    beforehand, ids after the highest, every index and foreign key as the import has them),
    rolled back; and the file as it is into a temporary table of text columns."""
    first = (Customer.objects.aggregate(highest=Max("pk"))["highest"] or 0) + 1
    now = datetime.now(UTC)
    customers, contacts = [], []
    for pk, record in enumerate(made, start=first):
        values = {
            **{field: record.get(field, "") for field in COLUMNS[Customer].split()},
            "id": pk,
            "name_key": name_key(record["name"]),
            "kind": Customer.Kind.COMPANY,
            "owner": user.pk,
            "phone_normalized": normalize_phone(record["phone"]),
            "email_key": email_key(record["email"]),
            "archived_at": None,
            "created_at": now,
            "updated_at": now,
        }
        customers.append([values[field] for field in COLUMNS[Customer].split()])
        contacts.append(
            [
                pk,
                record["contact_name"],
                record["contact_title"],
                record["contact_email"],
                record["contact_phone"],
                True,
                now,
                now,
            ]
        )
    with transaction.atomic(), connection.cursor() as cursor:
        began = time.perf_counter()
        _copy(cursor.connection, Customer, customers)
        _copy(cursor.connection, Contact, contacts)
        seconds = time.perf_counter() - began
        transaction.set_rollback(True)
    with transaction.atomic(), connection.cursor() as cursor:
        columns = ", ".join(f"c{n} text" for n in range(len(MAPPING)))
        cursor.execute(f"CREATE TEMPORARY TABLE bench_import_scratch ({columns}) ON COMMIT DROP")
        began = time.perf_counter()
        with (
            cursor.connection.cursor() as raw,
            raw.copy("COPY bench_import_scratch FROM STDIN (FORMAT csv, HEADER)") as copy,
            path.open("rb") as file,
        ):
            file.read(3)  # the BOM
            while block := file.read(1 << 20):
                copy.write(block)
        scratch_seconds = time.perf_counter() - began
        transaction.set_rollback(True)
    return {"seconds": seconds, "rows": len(customers), "scratch_seconds": scratch_seconds}


def _copy(raw_connection, model, rows: list) -> None:
    meta = model._meta
    columns = [meta.get_field(name).column for name in COLUMNS[model].split()]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(meta.db_table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with raw_connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def measure_in_fresh_process(users: dict, rows: int) -> dict:
    """The duplicate checks and the import (as ``users["salesperson"]``), measured by a new
    process with a media directory of its own (the file, its result, the worker's log),
    removed afterwards. ``users`` maps roles to usernames."""
    with tempfile.TemporaryDirectory(prefix="crm-bench-import-") as directory:
        finished = subprocess.run(
            [sys.executable, "-m", "bench.run", "--measure-import"],
            input=json.dumps({"users": users, "rows": rows}),
            stdout=subprocess.PIPE,  # the results; the progress goes to stderr as it comes
            text=True,
            check=True,
            env={**os.environ, "MEDIA_ROOT": directory},
            cwd=Path(__file__).resolve().parent.parent,
        )
    return json.loads(finished.stdout)


def measure_only(payload: dict) -> int:
    """``python -m bench.run --measure-import``: the users (by role) and the rows on stdin as
    JSON; the duplicate checks, then the import; JSON on stdout, progress on stderr."""
    from django.contrib.auth import get_user_model

    from bench.duplicate_checks import measure_duplicate_checks

    User = get_user_model()
    users = {role: User.objects.get(username=name) for role, name in payload["users"].items()}

    def log(line):
        print(line, file=sys.stderr, flush=True)

    checks = measure_duplicate_checks(users, log=log)
    load_before = os.getloadavg()
    measured = measure_import(
        users["salesperson"], payload["rows"], directory=Path(settings.MEDIA_ROOT), log=log
    )
    measured["load_average"] = {"before": load_before, "after": os.getloadavg()}
    json.dump({"duplicate_checks": checks, "import": measured}, sys.stdout)
    return 0


def summary(measured: dict) -> str:
    seconds = measured["seconds"]
    return (
        f"  {measured['rows']:,} rows: {measured['status']} in {seconds:.1f} s "
        f"({measured['rows'] / seconds:.0f} rows/s; upload {measured['upload_seconds']:.1f} s), "
        f"COPY {measured['copy']['seconds']:.2f} s (x{measured['ratio']:.0f}), worker memory "
        f"+{measured['memory_growth_mb']:.1f} MB, CPU: worker {measured['worker_cpu_seconds']:.0f}"
        f" s, its checker process {measured.get('checker_cpu_seconds', 0):.0f} s, PostgreSQL {measured['postgres_cpu_seconds']:.0f} s; load average "
        f"{measured['load_average']['before'][0]:.1f} before, "
        f"{measured['load_average']['after'][0]:.1f} after"
    )
