"""`make bench`'s import measurement still works at a tiny size: the file's rows are all new,
the import runs on a real worker (``manage.py run_worker``) and creates every row, the COPY
baseline leaves nothing behind, the duplicate checks find what they look for. Counts only,
never a timing."""

import pytest

from bench import measure
from bench.duplicate_checks import measure_duplicate_checks
from bench.generate import generate
from bench.imports import measure_import, records
from customers.duplicates import find_matches_many
from customers.models import Contact, Customer
from customers.querysets import email_key, name_key, normalize_phone

pytestmark = pytest.mark.django_db(transaction=True)


def test_import_rows_match_no_generated_customer_and_no_other_row():
    generate(0.001)
    manager = measure.Personas.find().manager
    made = records(2000)

    matched = find_matches_many(by=manager, candidates=made)

    assert not any(matched)
    for field, key in (("name", name_key), ("email", email_key), ("phone", normalize_phone)):
        assert len({key(row[field]) for row in made}) == len(made), field


def test_import_measurement_creates_every_row_on_the_worker_and_rolls_back_its_copy(tmp_path):
    generate(0.001)
    salesperson = measure.Personas.find().salesperson
    customers, contacts = Customer.objects.count(), Contact.objects.count()

    measured = measure_import(salesperson, 30, directory=tmp_path, log=lambda line: None)

    assert (measured["status"], measured["attempts"]) == ("done", 1)
    assert measured["counts"] == {"created": 30, "updated": 0, "skipped": 0, "failed": 0}
    assert measured["customers_added"] == measured["contacts_added"] == 30
    # The COPY baseline wrote the same rows again and rolled them back.
    assert measured["copy"]["rows"] == 30
    assert (Customer.objects.count(), Contact.objects.count()) == (customers + 30, contacts + 30)
    assert Customer.objects.filter(owner=salesperson, name=records(1)[0]["name"]).count() == 1
    assert measured["progress"][-1][1] == 30
    assert measured["memory_growth_mb"] >= 0


def test_the_profiled_batch_counts_each_rows_statements(tmp_path):
    generate(0.001)
    salesperson = measure.Personas.find().salesperson

    profile = measure_import(salesperson, 12, directory=tmp_path, log=lambda line: None)["profile"]

    assert profile["rows"] == 12 and profile["outcomes"] == {"created": 12}
    per_row = {kind["kind"]: kind["per_row"] for kind in profile["statements"]}
    # Customers are stored a batch at a time: one COPY of each kind for the 12 rows.
    assert per_row["COPY customers_customer"] == per_row["COPY customers_contact"] == 1 / 12
    assert per_row["COPY imports_importrow"] == 1 / 12
    assert profile["statements_per_row"] == pytest.approx(sum(per_row.values()))
    assert {stage["stage"] for stage in profile["stages"]} >= {
        "duplicate check (find_matches_keyed)",
        "the batch converted and checked (Python)",
    }


def test_duplicate_checks_find_the_customers_they_look_for():
    generate(0.001)
    personas = measure.Personas.find()

    checks = measure_duplicate_checks(dict(personas.items()), checks=4, batch=20, batches=2)

    assert [(c["role"], c["samples"], c["matched_first"]) for c in checks] == [
        ("salesperson", 4, 1),
        ("salesperson", 4, 1),
        ("salesperson", 2, 10),  # the 10 existing customers' values of 20 candidates
        ("manager", 4, 1),
        ("manager", 4, 1),
        ("manager", 2, 10),
    ]
    assert all(c["queries"] > 0 for c in checks)
