"""Imports on a real background worker (``manage.py run_worker``, another process on the
test database): enqueue -> run -> result, a failing run retried then failed with its reason,
a worker killed in the middle of an import losing nothing and storing nothing twice, and an
import whose task was lost on the way to the queue sent again."""

import os
import signal
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django_tasks_db.models import DBTaskResult

from customers.models import Customer
from imports import services
from imports.models import ImportRow, ImportRun
from tests.imports.files import csv_bytes
from tests.worker import STALE_SECONDS, running_worker, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def started_import(user, rows) -> ImportRun:
    file = ContentFile(csv_bytes([["Name", "E-mail"], *rows]), name="customers.csv")
    run = services.upload(by=user, kind="customers", file=file, file_name="customers.csv")
    return services.start(run_id=run.pk, by=user)


def children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def alive(pid: int) -> bool:
    """Whether ``pid`` still runs (an ended process nobody reaped is a zombie: "Z")."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rpartition(")")[2].split()[0] not in ("Z", "X")


def current(run: ImportRun) -> ImportRun:
    return ImportRun.objects.get(pk=run.pk)


def test_an_import_runs_on_the_worker_and_keeps_its_result(salesperson, tmp_path):
    run = started_import(salesperson, [["Acme", "a@acme.test"], ["Beta", "nope"]])

    with running_worker(tmp_path / "worker.log"):
        wait_for(lambda: current(run).is_finished, what="the import to finish")

    run = current(run)
    assert (run.status, run.created_count, run.failed_count, run.attempts) == ("done", 1, 1, 1)
    assert run.result_file and Customer.objects.get().owner == salesperson


def test_a_failing_import_is_tried_again_then_shown_failed_with_its_reason(
    salesperson, tmp_path, settings
):
    run = started_import(salesperson, [["Acme", "a@acme.test"]])
    run.file.delete(save=False)  # what the run needs is gone

    with running_worker(tmp_path / "worker.log"):
        wait_for(lambda: current(run).status == "failed", timeout=60, what="the last attempt")

    run = current(run)
    assert run.attempts == settings.CRM_JOB_ATTEMPTS == 3
    assert run.error == "The uploaded file is no longer there; upload it again."
    assert not Customer.objects.exists()


def test_a_worker_killed_mid_import_loses_nothing_and_stores_nothing_twice(salesperson, tmp_path):
    total = 1500
    run = started_import(salesperson, [[f"Customer {n:05d}", ""] for n in range(total)])
    log = tmp_path / "worker.log"

    with running_worker(log, CRM_IMPORT_BATCH_ROWS="50") as first:
        wait_for(lambda: current(run).next_row >= 100, what="two batches to be stored")
        checkers = children(first.pid)
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
    interrupted = current(run)
    assert interrupted.status == "running" and 0 < interrupted.next_row < total
    # The process checking the file found its worker gone and ended.
    assert checkers
    wait_for(lambda: not any(map(alive, checkers)), timeout=10, what="the checker to end")

    time.sleep(STALE_SECONDS + 0.5)  # the killed worker's heartbeat goes stale
    with running_worker(log, CRM_IMPORT_BATCH_ROWS="50"):
        wait_for(lambda: current(run).is_finished, timeout=120, what="the resumed import")

    run = current(run)
    assert (run.status, run.next_row, run.created_count) == ("done", total, total)
    assert run.attempts == 2
    assert Customer.objects.count() == total
    assert ImportRow.objects.filter(run=run).count() == total
    names = Customer.objects.values_list("name", flat=True)
    assert len(set(names)) == total
    # The resumed run copied only the rows after the first run's: its result reads the file
    # again, and lists every row.
    with run.result_file.open("rb") as result:
        lines = result.read().decode("utf-8-sig").splitlines()
    last = Customer.objects.get(name=f"Customer {total - 1:05d}")
    assert len(lines) == total + 1
    assert lines[-1].endswith(f",Created,,customers.customer:{last.pk}")


def test_an_import_whose_task_never_reached_the_queue_is_sent_again(salesperson, tmp_path):
    """The queue's row lost after the commit (a crash between the two, a queue emptied by
    hand): the import waits past its due time, and the worker's sweep sends it again."""
    run = started_import(salesperson, [["Acme", "buyer@acme.test"]])
    assert current(run).queued_at is not None
    DBTaskResult.objects.all().delete()
    time.sleep(STALE_SECONDS + 0.5)

    with running_worker(tmp_path / "worker.log"):
        wait_for(lambda: current(run).is_finished, what="the import sent again")

    run = current(run)
    assert (run.status, run.created_count, run.attempts) == ("done", 1, 1)
    assert Customer.objects.filter(name="Acme").count() == 1


def test_a_waiting_import_that_was_never_started_is_left_alone(salesperson, tmp_path):
    file = ContentFile(csv_bytes([["Name"], ["Acme"]]), name="customers.csv")
    run = services.upload(by=salesperson, kind="customers", file=file, file_name="customers.csv")
    time.sleep(STALE_SECONDS + 0.5)

    with running_worker(tmp_path / "worker.log"):
        time.sleep(2)

    run = current(run)
    assert (run.status, run.confirmed_at, run.attempts) == ("queued", None, 0)
    assert not Customer.objects.exists()
