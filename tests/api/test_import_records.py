"""crm_api.import_records: the Import page's import for scripts, with the same rules."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from api import crm_api
from customers.models import Customer
from tests.imports.files import csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheet(tmp_path):
    path = tmp_path / "客户.csv"
    path.write_bytes(
        csv_bytes([["客户名称", "邮箱"], ["华东精密", "info@huadong.cn"], ["Beta", "x@"]], bom=True)
    )
    return path


def test_a_file_by_path_is_imported_as_the_user(sheet, salesperson):
    run = crm_api.import_records(sheet, kind="customers", user=salesperson)

    assert (run.status, run.created_count, run.failed_count) == ("done", 1, 1)
    assert Customer.objects.get().owner == salesperson
    assert [row.outcome for row in run.rows.order_by("row_number")] == ["created", "failed"]


def test_a_dry_run_keeps_nothing(sheet, salesperson):
    run = crm_api.import_records(sheet, kind="customers", dry_run=True, user=salesperson)
    assert run.created_count == 1 and not Customer.objects.exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"kind": "invoices"}, "Choose what the file holds"),
        ({"kind": "customers", "mapping": ["name"]}, "Give the mapping as"),
        ({"kind": "customers", "mapping": {"邮箱": "email"}}, "Choose a column for"),
        ({"kind": "customers", "on_duplicate": "merge"}, "skip, update or create"),
    ],
)
def test_bad_arguments_are_refused_and_keep_nothing(sheet, salesperson, arguments, message):
    with pytest.raises(ValidationError, match=message):
        crm_api.import_records(sheet, user=salesperson, **arguments)
    assert not Customer.objects.exists()


def test_a_missing_file_and_a_salesperson_naming_an_owner_are_refused(sheet, salesperson, teammate):
    with pytest.raises(ValidationError, match="There is no file"):
        crm_api.import_records(sheet.with_name("nope.csv"), kind="customers", user=salesperson)
    with pytest.raises(PermissionDenied):
        crm_api.import_records(sheet, kind="customers", owner=teammate, user=salesperson)
    assert not Customer.objects.exists()


def test_a_manager_imports_for_a_salesperson(sheet, manager, salesperson):
    crm_api.import_records(sheet, kind="customers", owner=salesperson, user=manager)
    assert Customer.objects.get().owner == salesperson
