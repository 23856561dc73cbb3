"""The shared keys the duplicates page reads (customers.shared_keys): every way customers are
written keeps them equal to what the customers say, and two people adding the same customer
at the same moment still leave it written down."""

import importlib
import io
import random
import threading

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection, transaction

from customers import shared_keys
from customers.merge import merge_customers
from customers.models import Customer, SharedKey
from customers.services import (
    create_customers,
    reassign_customers,
    restore_customer,
    update_customer,
)
from imports.services import import_now
from imports.undo import undo_import
from tests.factories import CustomerFactory, SalespersonFactory
from tests.imports.files import csv_bytes

pytestmark = pytest.mark.django_db


RULES = ("email", "phone", "name")


def written() -> set[tuple]:
    """(rule, key, owner id) of every shared key, the rule by its name."""
    rows = SharedKey.objects.values_list("rule", "key", "owner_id")
    return {(RULES[rule], key, owner) for rule, key, owner in rows}


def worked_out_afresh() -> set[tuple]:
    """What `shared_keys.rebuild` makes of the same customers (and leaves as it found it)."""
    before = written()
    with transaction.atomic():
        shared_keys.rebuild()
        fresh = written()
        transaction.set_rollback(True)
    assert written() == before
    return fresh


def test_twins_of_one_owner_are_shared_by_everyone_and_by_the_owner(salesperson):
    CustomerFactory(owner=salesperson, name="Acme Ltd")
    CustomerFactory(owner=salesperson, name="ＡＣＭＥ  ltd")

    assert written() == {("name", "acme ltd", None), ("name", "acme ltd", salesperson.pk)}


def test_twins_of_two_owners_are_shared_by_everyone_only(salesperson, teammate):
    CustomerFactory(owner=salesperson, email="info@acme.test")
    CustomerFactory(owner=teammate, email=" INFO@acme.test")

    assert written() == {("email", "info@acme.test", None)}


def test_a_twin_edited_away_takes_the_key_with_it(salesperson):
    first = CustomerFactory(owner=salesperson, name="Acme")
    CustomerFactory(owner=salesperson, name="acme")

    update_customer(customer_id=first.pk, by=salesperson, name="Acme Trading")

    assert written() == set()


def test_a_merge_leaves_no_key_the_pair_alone_shared(salesperson):
    survivor = CustomerFactory(owner=salesperson, name="Acme", phone="021 555")
    other = CustomerFactory(owner=salesperson, name="acme", phone="021-555")
    CustomerFactory(owner=salesperson, name="Third", phone="(021) 555")

    merge_customers(survivor_id=survivor.pk, other_id=other.pk, by=salesperson)

    assert written() == {("phone", "021555", None), ("phone", "021555", salesperson.pk)}


def test_archived_customers_still_share_their_keys(salesperson):
    first = CustomerFactory(owner=salesperson, name="Acme")
    CustomerFactory(owner=salesperson, name="Acme")
    first.archived_at = first.created_at
    first.save()
    restore_customer(customer_id=first.pk, by=salesperson)

    assert written() == {("name", "acme", None), ("name", "acme", salesperson.pk)}


def test_reassigned_customers_take_their_keys_to_the_new_owner(salesperson, teammate, manager):
    first, second = CustomerFactory.create_batch(2, owner=salesperson, name="Acme")

    reassign_customers(customer_ids=[second.pk], new_owner=teammate, by=manager)
    assert written() == {("name", "acme", None)}

    reassign_customers(customer_ids=[first.pk], new_owner=teammate, by=manager)
    assert written() == {("name", "acme", None), ("name", "acme", teammate.pk)}


def test_customers_created_together_share_keys_among_themselves_and_with_others(salesperson):
    CustomerFactory(owner=salesperson, email="a@acme.test")

    create_customers(
        by=salesperson,
        rows=[
            {"name": "One", "email": "A@acme.test"},
            {"name": "Two", "phone": "138 0000"},
            {"name": "Three", "phone": "1380000"},
        ],
    )

    assert written() == {
        ("email", "a@acme.test", None),
        ("email", "a@acme.test", salesperson.pk),
        ("phone", "1380000", None),
        ("phone", "1380000", salesperson.pk),
    }


def test_an_import_and_its_undo_keep_the_keys(salesperson):
    CustomerFactory(owner=salesperson, name="Acme")
    rows = [["Name"], ["acme"], ["Beta"], ["BETA"]]
    run = import_now(
        by=salesperson,
        kind="customers",
        file=ContentFile(csv_bytes(rows), name="c.csv"),
        on_duplicate="create",
    )
    assert run.created_count == 3
    assert {key for _rule, key, _owner in written()} == {"acme", "beta"}

    undo_import(run_id=run.pk, by=salesperson)

    assert written() == set()


def test_what_is_kept_step_by_step_is_what_a_rebuild_works_out(salesperson, teammate, manager):
    rng = random.Random(11)
    owners = [salesperson, teammate]
    customers = []
    for step in range(60):
        action = rng.choice(["create", "create", "edit", "reassign", "merge"])
        if action == "create" or len(customers) < 2:
            customers.append(
                CustomerFactory(
                    owner=rng.choice(owners),
                    name=f"Name {rng.randrange(6)}",
                    email=f"e{rng.randrange(8)}@example.com",
                    phone=f"138 {rng.randrange(8):04d}",
                )
            )
        elif action == "edit":
            customer = rng.choice(customers)
            update_customer(customer_id=customer.pk, by=manager, name=f"Name {rng.randrange(6)}")
        elif action == "reassign":
            customer = rng.choice(customers)
            reassign_customers(customer_ids=[customer.pk], new_owner=rng.choice(owners), by=manager)
        else:
            survivor, other = rng.sample(customers, 2)
            merge_customers(survivor_id=survivor.pk, other_id=other.pk, by=manager)
            customers.remove(other)
        assert written() == worked_out_afresh(), f"after step {step}: {action}"
    assert written()


def test_the_migration_and_the_command_work_them_out_from_the_customers(salesperson, teammate):
    CustomerFactory.create_batch(2, owner=salesperson, name="Acme")
    CustomerFactory(owner=teammate, name="Acme", email="x@acme.test")
    CustomerFactory(owner=teammate, email="X@acme.test")
    expected = written()
    migration = importlib.import_module("customers.migrations.0010_shared_keys")

    SharedKey.objects.all().delete()
    migration.fill(apps, None)
    assert written() == expected

    SharedKey.objects.all().delete()
    output = io.StringIO()
    call_command("rebuild_shared_keys", stdout=output)
    assert written() == expected
    assert output.getvalue() == f"{len(expected)} shared key(s).\n"


@pytest.mark.django_db(transaction=True)
def test_two_people_adding_the_same_customer_at_once_leave_the_key_written():
    """Neither transaction sees the other's customer before it commits: the look each takes
    once committed finds both."""
    owner = SalespersonFactory()
    both_added = threading.Barrier(2)
    errors = []

    def add():
        try:
            with transaction.atomic():
                CustomerFactory(owner=owner, name="Acme")
                both_added.wait(timeout=10)
        except Exception as error:  # reported by the test below
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=add) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert Customer.objects.count() == 2
    assert written() == {("name", "acme", None), ("name", "acme", owner.pk)}
