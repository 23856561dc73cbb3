"""A whole file's batches are checked in a child process while the worker stores them
(imports.checker_process): the outcomes are those of one process, and a failure on either
side fails the run with whole batches stored and no process left behind."""

import multiprocessing
import os
import pickle

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from customers.models import Contact, Customer
from imports import checker_process, running
from imports.models import ImportRow, ImportRun
from imports.services import import_now
from tests.imports.files import csv_bytes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def checkers(monkeypatch, settings, tmp_path):
    """Batches of two rows; the process ids that checked them (the child cannot hand back a
    list of this process, so it writes them down)."""
    settings.CRM_IMPORT_BATCH_ROWS = 2
    pids, check = tmp_path / "pids", running._check_batch

    def spied(run, loader, batch, lookups):
        with pids.open("a") as file:
            file.write(f"{os.getpid()}\n")
        return check(run, loader, batch, lookups)

    monkeypatch.setattr(running, "_check_batch", spied)
    return lambda: {int(line) for line in pids.read_text().split()} if pids.exists() else set()


def imported(user, *rows) -> ImportRun:
    file = ContentFile(csv_bytes([["Name", "E-mail"], *rows]), name="customers.csv")
    return import_now(by=user, kind="customers", file=file)


def at_batch(monkeypatch, first_row: int, happen) -> None:
    """``happen()`` in the child when it checks the batch that begins at ``first_row``."""
    check = running._check_batch

    def checking(run, loader, batch, lookups):
        if batch[0][0] == first_row:
            happen()
        return check(run, loader, batch, lookups)

    monkeypatch.setattr(running, "_check_batch", checking)


def six_customers():
    return ([f"Customer {n}", f"c{n}@example.test"] for n in range(1, 7))


def outcomes(run) -> list[tuple[str, str]]:
    return list(
        ImportRow.objects.filter(run=run).order_by("row_number").values_list("outcome", "message")
    )


def test_duplicates_in_the_batches_before_or_the_same_batch_are_found_as_in_one_process(
    salesperson, checkers
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
    (checker,) = checkers()
    assert checker != os.getpid()
    assert not multiprocessing.active_children()


def test_the_run_s_own_owner_is_given_to_rows_checked_in_the_child(manager, salesperson, checkers):
    file = ContentFile(csv_bytes([["Name"], ["Acme"], ["Beta"], ["Gamma"]]), name="c.csv")
    run = import_now(by=manager, kind="customers", file=file, owner=salesperson)

    assert run.created_count == 3
    assert set(Customer.objects.values_list("owner", flat=True)) == {salesperson.pk}
    assert os.getpid() not in checkers()


def test_a_failure_while_storing_fails_the_run_with_whole_batches_and_no_child_left(
    salesperson, checkers, monkeypatch
):
    record = running._record

    def failing(run, done):
        if done[0][0] == 4:  # the second batch's outcomes (the file's rows 4 and 5)
            raise RuntimeError("the disk is full")
        record(run, done)

    monkeypatch.setattr(running, "_record", failing)

    with pytest.raises(ValidationError):
        imported(salesperson, *six_customers())

    run = ImportRun.objects.get()
    assert (run.status, run.next_row) == ("failed", 2)
    assert ImportRow.objects.count() == Customer.objects.count() == 2
    assert not multiprocessing.active_children()


def test_a_failure_while_checking_fails_the_run_after_the_batches_before_it(
    salesperson, checkers, monkeypatch, caplog
):
    def unreadable():
        raise RuntimeError("row 6 is unreadable")

    at_batch(monkeypatch, 6, unreadable)  # the third batch

    with pytest.raises(ValidationError):
        imported(salesperson, *six_customers())

    run = ImportRun.objects.get()
    assert (run.status, run.next_row) == ("failed", 4)
    assert run.error == "Unexpected error (RuntimeError); the log of the worker has the details."
    # The log has where it happened in the child.
    assert "In the process checking the file:" in caplog.text
    assert 'raise RuntimeError("row 6 is unreadable")' in caplog.text
    assert ImportRow.objects.count() == Customer.objects.count() == 4
    assert not multiprocessing.active_children()


def test_a_child_that_dies_fails_the_run_and_says_so(salesperson, checkers, monkeypatch):
    at_batch(monkeypatch, 4, lambda: os._exit(9))  # as if the kernel had killed it

    with pytest.raises(ValidationError):
        imported(salesperson, *six_customers())

    run = ImportRun.objects.get()
    assert (run.status, run.next_row) == ("failed", 2)
    assert run.error == (
        "Unexpected error (ChildProcessError); the log of the worker has the details."
    )
    assert Customer.objects.count() == 2
    assert not multiprocessing.active_children()


def test_a_dry_run_of_the_whole_file_checks_in_the_child_and_keeps_nothing(salesperson, checkers):
    file = ContentFile(
        csv_bytes([["Name", "E-mail"], *six_customers(), ["Bad", "not an e-mail"]]),
        name="customers.csv",
    )
    run = import_now(by=salesperson, kind="customers", file=file, dry_run=True)

    assert (run.created_count, run.failed_count) == (6, 1)
    assert not Customer.objects.exists() and not ImportRun.objects.exists()
    assert os.getpid() not in checkers()


def test_a_checked_customer_crosses_the_pipe_whole(salesperson):
    customer = Customer(name="Acme", owner=salesperson, email="buyer@acme.test")
    customer.set_keys()
    customer.new_contact = Contact(customer=customer, name="Li Wei", is_primary=True)

    crossed = pickle.loads(checker_process._dumps(("batch", [customer])))[1][0]

    assert (crossed.name, crossed.email_key, crossed.owner) == (
        "Acme",
        "buyer@acme.test",
        salesperson,
    )
    assert crossed._state.adding and crossed.pk is None
    assert crossed.new_contact.customer is crossed  # the link both ways, not a copy
    crossed.save()
    crossed.new_contact.customer_id = crossed.pk
    crossed.new_contact.save()
    assert Customer.objects.get().contacts.get().name == "Li Wei"
