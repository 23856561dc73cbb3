"""crm.bulk_insert: an import's rows go in with COPY and come back as saved records."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import DataError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crm.bulk_insert import insert_all, insert_rows
from customers.models import Contact, Customer
from imports.models import ImportRow
from imports.services import import_now
from tests.factories import SalespersonFactory
from tests.imports.files import csv_bytes

pytestmark = pytest.mark.django_db


def test_inserted_customers_are_saved_with_their_keys_and_times():
    owner = SalespersonFactory()
    made = [Customer(owner=owner, name=f"上海 Firm {n}", email=f"A{n}@X.CN") for n in range(3)]
    for customer in made:
        customer.set_keys()
    began = timezone.now()

    with CaptureQueriesContext(connection) as captured:
        insert_all(made)

    assert [c.pk for c in made] == sorted(c.pk for c in made)
    assert all(not c._state.adding for c in made)
    stored = Customer.objects.get(pk=made[1].pk)
    assert (stored.name, stored.email_key, stored.owner) == ("上海 Firm 1", "a1@x.cn", owner)
    assert began <= stored.created_at == stored.updated_at <= timezone.now() + timedelta(1)
    assert stored.status == Customer.Status.LEAD  # the model's default, not NULL
    # the keys in one statement, the rows in one COPY (which the query log shows too)
    assert [q["sql"].split()[0] for q in captured.captured_queries] == ["SELECT", "COPY"]
    # the sequence moved past the keys drawn: the next ordinary save does not collide
    assert Customer.objects.create(owner=owner, name="After").pk > made[-1].pk


def test_rows_refer_to_records_inserted_just_before():
    customer = Customer(owner=SalespersonFactory(), name="Acme")
    insert_all([customer])
    insert_all([Contact(customer_id=customer.pk, name="王芳", is_primary=True)])

    assert list(customer.contacts.values_list("name", "is_primary")) == [("王芳", True)]


def test_rows_without_objects_keep_json_as_json():
    run = import_now(
        by=SalespersonFactory(),
        kind="customers",
        file=ContentFile(csv_bytes([["Name"], ["Acme"]]), name="one.csv"),
    )
    names = ("run", "row_number", "outcome", "message", "record_model", "record_id")
    previous = {"name": "Old “name”", "tags": [1]}
    insert_rows(
        ImportRow,
        (*names, "contact_id", "previous"),
        [(run.pk, 9, "updated", "", "customers.customer", 7, None, previous)],
    )

    row = ImportRow.objects.get(run=run, row_number=9)
    assert (row.outcome, row.record_id, row.previous) == ("updated", 7, previous)


def test_a_value_the_column_refuses_stores_nothing():
    customer = Customer(owner=SalespersonFactory(), name="x" * 201)
    with pytest.raises(DataError), transaction.atomic():
        insert_all([customer, Customer(owner=customer.owner, name="fine")])
    assert not Customer.objects.exists()
