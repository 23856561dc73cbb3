"""Undoing an import: what it created goes, what it updated gets its values back, and it
refuses while anything of it has been changed or built upon since."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from customers.models import Contact, Customer
from imports.models import ImportRun
from imports.services import import_now, upload
from imports.undo import undo_import, undo_refusal
from tests.factories import CustomerFactory, OpportunityFactory
from tests.imports.files import csv_bytes

pytestmark = pytest.mark.django_db

HEADERS = ["Name", "E-mail", "Phone", "Contact name"]


def imported(user, *rows, **options) -> ImportRun:
    file = ContentFile(csv_bytes([HEADERS, *rows]), name="c.csv")
    return import_now(by=user, kind="customers", file=file, **options)


def test_undo_removes_what_was_created_and_restores_what_was_updated(salesperson):
    kept = CustomerFactory(owner=salesperson, name="Acme", email="a@acme.test", phone="111")
    run = imported(
        salesperson,
        ["Acme", "a@acme.test", "222", ""],
        ["Beta", "b@beta.test", "", "Li Lei"],
        on_duplicate="update",
    )
    assert (run.created_count, run.updated_count) == (1, 1)

    undo_import(run_id=run.pk, by=salesperson)

    kept.refresh_from_db()
    assert kept.phone == "111"
    assert list(Customer.objects.all()) == [kept]
    assert not Contact.objects.filter(name="Li Lei").exists()
    run.refresh_from_db()
    assert run.undone_by == salesperson and undo_refusal(run, salesperson)


def test_undo_refuses_once_an_imported_customer_was_changed(salesperson):
    run = imported(salesperson, ["Beta", "", "", ""])
    Customer.objects.filter(name="Beta").update(updated_at=timezone.now() + timedelta(seconds=5))

    with pytest.raises(ValidationError, match="changed since the import"):
        undo_import(run_id=run.pk, by=salesperson)
    assert Customer.objects.filter(name="Beta").exists()


def test_undo_refuses_once_someone_built_on_an_imported_customer(salesperson):
    run = imported(salesperson, ["Beta", "", "", ""])
    OpportunityFactory(customer=Customer.objects.get(name="Beta"))

    with pytest.raises(ValidationError, match="Opportunities have been added"):
        undo_import(run_id=run.pk, by=salesperson)
    assert Customer.objects.filter(name="Beta").exists()


def test_only_the_importer_or_a_manager_undoes(salesperson, teammate, manager):
    run = imported(salesperson, ["Beta", "", "", ""])
    with pytest.raises(ImportRun.DoesNotExist):
        undo_import(run_id=run.pk, by=teammate)
    undo_import(run_id=run.pk, by=manager)
    assert not Customer.objects.exists()


def test_the_next_file_with_the_same_columns_gets_the_users_mapping(salesperson, teammate):
    def new_upload(user):
        file = ContentFile(csv_bytes([HEADERS, ["Acme", "", "", ""]]), name="c.csv")
        return upload(by=user, kind="customers", file=file, file_name="c.csv")

    chosen = {"Name": "name", "E-mail": "notes", "Phone": None, "Contact name": None}
    imported(salesperson, ["Acme", "", "", ""], mapping=chosen)

    assert new_upload(salesperson).mapping == chosen
    assert new_upload(teammate).mapping["E-mail"] == "email"  # each user's own
