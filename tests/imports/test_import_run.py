"""An import run end to end in one process: rows become records through the services, each
row's outcome is kept, duplicates follow the chosen rule, and a dry run keeps nothing."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection

from communications.models import Communication
from customers.models import Contact, Customer
from imports.models import ImportRow, ImportRun
from imports.services import import_now
from opportunities.models import Opportunity
from tests.factories import CustomerFactory
from tests.imports.files import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADERS = ["客户名称", "电话", "邮箱", "状态", "联系人", "职位"]


def customers_file(*rows, name="customers.csv", encoding="utf-8"):
    return ContentFile(csv_bytes([HEADERS, *rows], encoding=encoding, bom=True), name=name)


def run_of(user, file, kind="customers", **options) -> ImportRun:
    return import_now(by=user, kind=kind, file=file, **options)


def test_customers_with_contacts_are_created_and_a_bad_row_is_reported(salesperson):
    run = run_of(
        salesperson,
        customers_file(
            ["华东精密", "021-5555 0101", "info@huadong.cn", "潜在客户", "王芳", "采购经理"],
            ["Blue Fjord AS", "+47 22 00 11 22", "not-an-email", "lead", "", ""],
            ["Acme Trading", "", "sales@acme.test", "Active", "", ""],
        ),
    )

    assert (run.status, run.created_count, run.failed_count) == ("done", 2, 1)
    huadong = Customer.objects.get(name="华东精密")
    assert (huadong.owner, huadong.status, huadong.phone) == (
        salesperson,
        "prospect",
        "021-5555 0101",
    )
    assert Contact.objects.get(customer=huadong).title == "采购经理"
    failed = ImportRow.objects.get(run=run, outcome="failed")
    assert failed.row_number == 3 and "邮箱" in failed.message
    assert not Customer.objects.filter(name="Blue Fjord AS").exists()


def test_the_result_file_lists_every_row_with_its_outcome(salesperson):
    run = run_of(
        salesperson,
        customers_file(["=HYPERLINK(1)", "", "", "", "", ""], ["Beta", "", "x@", "", "", ""]),
    )

    with run.result_file.open("rb") as result:
        text = result.read().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Row", "客户名称", "电话"] and rows[0][-3:] == [
        "Outcome",
        "Message",
        "Record",
    ]
    assert rows[1][0] == "2" and rows[1][1] == "'=HYPERLINK(1)" and rows[1][-3] == "Created"
    assert rows[2][-3] == "Failed" and "邮箱" in rows[2][-2]


def test_an_excel_files_dates_come_back_as_written_in_the_result(salesperson):
    sheet = [
        ["Name", "First contact"],
        ["Acme", date(2026, 3, 1)],
        ["Beta", datetime(2026, 3, 2, 9, 30)],
    ]
    run = run_of(salesperson, ContentFile(xlsx_bytes(sheet), name="c.xlsx"))

    with run.result_file.open("rb") as result:
        rows = list(csv.reader(io.StringIO(result.read().decode("utf-8-sig"))))
    assert [row[2] for row in rows[1:]] == ["2026-03-01", "2026-03-02 09:30:00"]
    assert run.status == "done" and run.created_count == 2


@pytest.mark.parametrize(
    ("mode", "outcome", "phone"),
    [("skip", "skipped", "111"), ("update", "updated", "222"), ("create", "created", "111")],
)
def test_a_row_matching_a_customer_is_skipped_updated_or_created(salesperson, mode, outcome, phone):
    existing = CustomerFactory(owner=salesperson, name="Acme", email="Sales@Acme.test", phone="111")

    run = run_of(
        salesperson,
        customers_file(["Acme Ltd", "222", "sales@acme.test", "", "", ""]),
        on_duplicate=mode,
    )

    row = ImportRow.objects.get(run=run)
    existing.refresh_from_db()
    assert row.outcome == outcome
    assert existing.phone == phone
    assert existing.name == ("Acme Ltd" if mode == "update" else "Acme")
    assert Customer.objects.filter(email__iexact="sales@acme.test").count() == (
        2 if mode == "create" else 1
    )


def test_an_update_keeps_what_the_file_leaves_empty(salesperson):
    existing = CustomerFactory(owner=salesperson, name="Acme", email="a@acme.test", phone="111")
    run = run_of(
        salesperson,
        customers_file(["Acme", "", "a@acme.test", "active", "", ""]),
        on_duplicate="update",
    )

    existing.refresh_from_db()
    row = ImportRow.objects.get(run=run)
    assert (existing.phone, existing.status) == ("111", "active")
    assert row.previous["status"] != "active"


def test_a_teammates_customer_is_reported_as_existing_elsewhere_without_details(
    salesperson, teammate
):
    CustomerFactory(owner=teammate, name="Secret Co", email="boss@secret.test")

    run = run_of(
        salesperson,
        customers_file(["Other name", "", "boss@secret.test", "", "", ""]),
        on_duplicate="update",
    )

    row = ImportRow.objects.get(run=run)
    assert row.outcome == "skipped" and "elsewhere" in row.message
    assert "Secret" not in row.message and row.record_id is None


def test_rows_repeated_in_the_file_are_duplicates_of_the_first(salesperson):
    run = run_of(
        salesperson,
        customers_file(
            ["Acme", "", "a@acme.test", "", "", ""], ["ACME", "", "A@acme.test", "", "", ""]
        ),
    )
    assert (run.created_count, run.skipped_count) == (1, 1)


def test_a_dry_run_says_what_would_happen_and_keeps_nothing(salesperson):
    run = run_of(salesperson, customers_file(["Acme", "", "", "", "", ""]), dry_run=True)

    assert run.created_count == 1
    assert not Customer.objects.exists() and not ImportRun.objects.exists()


def test_a_mapping_without_the_required_column_is_refused_and_keeps_nothing(salesperson):
    with pytest.raises(ValidationError, match="Choose a column for"):
        run_of(salesperson, customers_file(["Acme", "", "", "", "", ""]), mapping={"电话": "phone"})
    assert not ImportRun.objects.exists()


def test_deals_and_communications_find_their_customer(salesperson):
    acme = CustomerFactory(owner=salesperson, name="Acme", email="a@acme.test")
    deals = ContentFile(
        csv_bytes(
            [
                ["Customer", "Opportunity", "Amount", "Stage", "Expected close"],
                ["acme", "Cold-chain pilot", "¥12,500.50", "Won", "2026-03-01"],
                ["Nobody Inc", "Ghost deal", "1", "prospecting", ""],
            ]
        ),
        name="deals.csv",
    )
    run = run_of(salesperson, deals, kind="opportunities")
    deal = Opportunity.objects.get(customer=acme)
    assert (run.created_count, run.failed_count) == (1, 1)
    assert (deal.name, deal.amount, deal.stage) == ("Cold-chain pilot", Decimal("12500.50"), "won")

    calls = ContentFile(
        csv_bytes(
            [
                ["客户邮箱", "渠道", "主题", "内容", "日期"],
                ["a@acme.test", "电话", "Pilot", "Talked about the pilot", "2026-03-02 10:30"],
            ]
        ),
        name="calls.csv",
    )
    run = run_of(salesperson, calls, kind="communications")
    assert run.created_count == 1, ImportRow.objects.filter(run=run).values_list("message")
    assert Communication.objects.get(customer=acme).subject == "Pilot"


def test_deal_rows_name_their_customer_as_duplicates_are_matched_and_only_among_ones_own(
    salesperson, teammate
):
    acme = CustomerFactory(owner=salesperson, name="Acme Trading Ltd", email="Sales@Acme.test")
    CustomerFactory.create_batch(2, owner=salesperson, name="Twin Co")
    CustomerFactory(owner=teammate, name="Theirs Inc")
    deals = ContentFile(
        csv_bytes(
            [
                ["Customer", "Customer e-mail", "Opportunity"],
                ["ＡＣＭＥ  trading ltd", "", "By a full-width, spaced name"],
                ["", " sales@acme.TEST ", "By e-mail in another case"],
                ["Twin Co", "", "Ambiguous"],
                ["Theirs Inc", "", "A teammate's customer"],
            ]
        ),
        name="deals.csv",
    )

    run = run_of(salesperson, deals, kind="opportunities")

    assert sorted(acme.opportunities.values_list("name", flat=True)) == [
        "By a full-width, spaced name",
        "By e-mail in another case",
    ]
    messages = dict(
        ImportRow.objects.filter(run=run, outcome="failed").values_list("row_number", "message")
    )
    assert "More than one customer matches “Twin Co”" in messages[4]
    assert "No customer of yours matches “Theirs Inc”" in messages[5]


def test_a_batch_of_deal_rows_looks_its_customers_up_once(salesperson, settings):
    settings.CRM_IMPORT_BATCH_ROWS = 100
    customers = CustomerFactory.create_batch(5, owner=salesperson)
    rows = [["Customer", "Opportunity"]]
    rows += [[customers[n % 5].name, f"Deal {n}"] for n in range(40)]
    deals = ContentFile(csv_bytes(rows), name="deals.csv")

    captured = []

    def count_customer_reads(execute, sql, params, many, context):
        if sql.startswith('SELECT "customers_customer"."name_key"'):
            captured.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count_customer_reads):
        run = run_of(salesperson, deals, kind="opportunities")

    assert run.created_count == 40
    assert len(captured) == 1  # the names of the whole batch, in one query
