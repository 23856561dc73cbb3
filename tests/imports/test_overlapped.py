"""The worker's run stores each batch on a writer thread while the next is checked
(imports.running): the outcomes are those of one thread, and a failure on either side
fails the run with whole batches stored and no thread left behind."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from customers.models import Customer
from imports import running
from imports.models import ImportRow, ImportRun
from imports.services import import_now
from tests.imports.files import csv_bytes

# The writer has a connection of its own: it sees only what is committed.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def writers(monkeypatch, settings):
    """Batches of two rows, and the names of the threads that stored them."""
    settings.CRM_IMPORT_BATCH_ROWS = 2
    names, write = [], running._write

    def spied(*args):
        names.append(threading.current_thread().name)
        write(*args)

    monkeypatch.setattr(running, "_write", spied)
    return names


def imported(user, *rows) -> ImportRun:
    file = ContentFile(csv_bytes([["Name", "E-mail"], *rows]), name="customers.csv")
    return import_now(by=user, kind="customers", file=file)


def outcomes(run) -> list[tuple[str, str]]:
    return list(
        ImportRow.objects.filter(run=run).order_by("row_number").values_list("outcome", "message")
    )


def import_threads() -> list[str]:
    return [thread.name for thread in threading.enumerate() if thread.name.startswith("import-")]


def test_duplicates_in_the_batches_before_or_the_same_batch_are_found_as_in_one_thread(
    salesperson, writers
):
    run = imported(
        salesperson,
        ["Acme", "a@acme.test"],  # the file's row 2, batch 1
        ["Beta", "b@beta.test"],
        ["ACME Trading", "A@acme.test"],  # batch 2: Acme, stored by batch 1
        ["Gamma", "g@gamma.test"],
        ["Delta", "d@delta.test"],
        ["Delta", "d@delta.test"],  # batch 3: the row before it
        ["Beta GmbH", "b@beta.test"],  # batch 4: Beta, of batch 1
    )

    acme, beta = Customer.objects.get(name="Acme"), Customer.objects.get(name="Beta")
    assert outcomes(run) == [
        ("created", ""),
        ("created", ""),
        ("skipped", f"Matches customer “Acme” ({acme.pk})."),
        ("created", ""),
        ("created", ""),
        ("skipped", "The same customer as an earlier row of the file."),
        ("skipped", f"Matches customer “Beta” ({beta.pk})."),
    ]
    assert (run.next_row, run.created_count, run.skipped_count) == (7, 4, 3)
    assert writers == [f"import-{run.pk}"] and not import_threads()


def test_a_failing_writer_fails_the_run_with_whole_batches_stored_and_no_thread_left(
    salesperson, writers, monkeypatch
):
    record = running._record

    def failing(run, done):
        if done[0][0] == 4:  # the second batch's outcomes (the file's rows 4 and 5)
            raise RuntimeError("the disk is full")
        record(run, done)

    monkeypatch.setattr(running, "_record", failing)

    with pytest.raises(ValidationError):
        imported(salesperson, *([f"Customer {n}", f"c{n}@example.test"] for n in range(1, 7)))

    run = ImportRun.objects.get()
    assert (run.status, run.next_row) == ("failed", 2)
    assert ImportRow.objects.count() == Customer.objects.count() == 2
    assert writers and not import_threads()


def test_a_failure_while_checking_lets_the_writer_finish_its_batch_and_stop(
    salesperson, writers, monkeypatch
):
    check = running._check_batch

    def failing(run, loader, batch, lookups):
        if batch[0][0] == 6:  # the third batch
            raise RuntimeError("unreadable")
        return check(run, loader, batch, lookups)

    monkeypatch.setattr(running, "_check_batch", failing)

    with pytest.raises(ValidationError):
        imported(salesperson, *([f"Customer {n}", f"c{n}@example.test"] for n in range(1, 7)))

    run = ImportRun.objects.get()
    assert (run.status, run.next_row) == ("failed", 4)
    assert ImportRow.objects.count() == Customer.objects.count() == 4
    assert not import_threads()
