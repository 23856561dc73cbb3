"""CSV export of the customer list: the list's rows, readable in Excel, safe to open."""

import csv
import io
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from crm.csv_export import ROWS_PER_CHUNK
from crm.models import ExportLog
from customers.models import Customer
from customers.views import CustomerExportView
from tests.factories import CustomerFactory

EXPORT_URL = reverse("customers:export")
LIST_URL = reverse("customers:list")


def download(client, params=None) -> str:
    response = client.get(EXPORT_URL, params or {})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return b"".join(response.streaming_content).decode("utf-8")


def parse(text: str) -> list[dict]:
    """The data rows as dicts keyed by header, the byte-order mark removed."""
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def list_names(client, params) -> list[str]:
    """Every name the list shows for ``params``, page after page."""
    names, page = [], 1
    while True:
        response = client.get(LIST_URL, {**params, "page": page})
        names += [c.name for c in response.context["object_list"]]
        if not response.context["page_obj"].has_next():
            return names
        page += 1


@pytest.fixture
def many_active(salesperson):
    """More active customers than one list page holds, plus some that the filter leaves out."""
    CustomerFactory.create_batch(30, owner=salesperson, status=Customer.Status.ACTIVE)
    CustomerFactory.create_batch(4, owner=salesperson, status=Customer.Status.LEAD)


def test_export_holds_exactly_the_filtered_rows_of_every_page(sales_client, many_active):
    rows = parse(download(sales_client, {"status": "active"}))

    assert len(rows) == 30
    assert {row["Status"] for row in rows} == {"Active"}


@pytest.mark.parametrize("sort", ["name", "-name", "-updated", "created", "status"])
def test_export_rows_come_in_the_lists_order(sales_client, many_active, sort):
    params = {"status": "active", "sort": sort}

    rows = parse(download(sales_client, params))

    assert [row["Name"] for row in rows] == list_names(sales_client, params)


def test_export_honours_search_and_archive_filter_like_the_list(sales_client, salesperson):
    CustomerFactory(owner=salesperson, name="Harbor current")
    CustomerFactory(owner=salesperson, name="Harbor archived", archived_at=timezone.now())
    CustomerFactory(owner=salesperson, name="Summit archived", archived_at=timezone.now())

    rows = parse(download(sales_client, {"q": "harbor", "archived": "archived"}))

    assert [row["Name"] for row in rows] == ["Harbor archived"]


def test_export_leaves_archived_customers_out_by_default(sales_client, salesperson):
    CustomerFactory(owner=salesperson, name="Current")
    CustomerFactory(owner=salesperson, name="Gone", archived_at=timezone.now())

    assert [row["Name"] for row in parse(download(sales_client))] == ["Current"]


def test_export_of_chosen_ids_holds_just_those(sales_client, salesperson):
    chosen = CustomerFactory(owner=salesperson, name="Chosen")
    CustomerFactory(owner=salesperson, name="Not chosen")

    rows = parse(download(sales_client, {"id": chosen.pk}))

    assert [row["Name"] for row in rows] == ["Chosen"]


def test_export_of_malformed_ids_is_404_not_every_row(sales_client, salesperson):
    CustomerFactory(owner=salesperson, name="Any")

    response = sales_client.get(reverse("customers:export"), {"id": "abc"})

    assert response.status_code == 404


def test_export_starts_with_byte_order_mark_and_readable_header(sales_client, customer):
    text = download(sales_client)

    assert text.startswith("\ufeff")
    header = next(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert {"Name", "Status", "Kind", "Industry", "Owner", "Phone", "E-mail", "Created"} <= set(
        header
    )


def test_export_shows_choice_labels_not_codes(sales_client, salesperson):
    CustomerFactory(
        owner=salesperson,
        status=Customer.Status.ACTIVE,
        kind=Customer.Kind.INDIVIDUAL,
        industry=Customer.Industry.TECHNOLOGY,
        source=Customer.Source.COLD_CALL,
        rating=Customer.Rating.A,
    )

    (row,) = parse(download(sales_client))

    assert row["Status"] == "Active"
    assert row["Kind"] == "Individual"
    assert row["Industry"] == "Information technology"
    assert row["Source channel"] == "Cold call"
    assert row["Rating"] == "A · key account"
    assert row["Owner"] == salesperson.username


def test_export_dates_are_iso_with_time_zone(sales_client, salesperson):
    CustomerFactory(owner=salesperson, archived_at=timezone.now())

    (row,) = parse(download(sales_client, {"archived": "all"}))

    for column in ("Created", "Updated", "Archived"):
        value = datetime.fromisoformat(row[column])
        assert value.tzinfo is not None
        assert abs(value - timezone.now()).total_seconds() < 60


def test_export_leaves_empty_dates_empty(sales_client, customer):
    (row,) = parse(download(sales_client))

    assert row["Archived"] == ""


@pytest.mark.parametrize("dangerous", ["=SUM(A1:A9)", "+1+1", "-2+3", "@cmd", "\tTab", "\rCR"])
def test_export_neutralises_cells_that_start_a_formula(sales_client, salesperson, dangerous):
    CustomerFactory(
        owner=salesperson,
        name=dangerous,
        needs=f"{dangerous} in the needs",
        phone="",
        email="",
    )

    (row,) = parse(download(sales_client))

    assert row["Name"] == "'" + dangerous
    assert row["Needs"] == f"'{dangerous} in the needs"


def test_export_keeps_ordinary_text_unchanged(sales_client, salesperson):
    CustomerFactory(owner=salesperson, name="Plain Trading", needs="500 seats, maybe = more")

    (row,) = parse(download(sales_client))

    assert row["Name"] == "Plain Trading"
    assert row["Needs"] == "500 seats, maybe = more"


def test_export_carries_chinese_text_intact(sales_client, salesperson):
    CustomerFactory(
        owner=salesperson,
        name="上海华腾科技有限公司",
        address="上海市浦东新区世纪大道100号",
        needs="需要年度维保服务，预算在第三季度确定。",
    )

    response = sales_client.get(EXPORT_URL)
    raw = b"".join(response.streaming_content)
    (row,) = parse(raw.decode("utf-8-sig"))

    assert raw.startswith(b"\xef\xbb\xbf")
    assert row["Name"] == "上海华腾科技有限公司"
    assert row["Address"] == "上海市浦东新区世纪大道100号"
    assert row["Needs"] == "需要年度维保服务，预算在第三季度确定。"


def test_export_is_offered_as_a_dated_download(sales_client, customer):
    response = sales_client.get(EXPORT_URL)
    b"".join(response.streaming_content)

    assert response["Content-Disposition"] == (
        f'attachment; filename="customers-{timezone.localdate().isoformat()}.csv"'
    )


def test_export_is_recorded_in_the_export_log(sales_client, salesperson, many_active):
    download(sales_client, {"status": "active", "sort": "name"})

    log = ExportLog.objects.get()
    assert log.user == salesperson
    assert log.list_name == "customers"
    assert log.query_string == "status=active&sort=name"
    assert log.row_count == 30
    assert log.completed is True
    assert log.finished_at is not None


def test_export_log_marks_an_interrupted_download_incomplete(salesperson):
    Customer.objects.bulk_create(
        Customer(owner=salesperson, name=f"Bulk {n}") for n in range(ROWS_PER_CHUNK + 1)
    )
    view = CustomerExportView()
    log = ExportLog.objects.create(user=salesperson, list_name="customers")
    stream = view.stream(Customer.objects.values_list(*[c.path for c in view.columns]), log)

    next(stream), next(stream)  # the header and the first batch arrive, then the client leaves
    stream.close()

    log.refresh_from_db()
    assert log.completed is False
    assert log.row_count == ROWS_PER_CHUNK


def test_manager_reads_the_export_log_in_admin(manager_client, sales_client, customer):
    download(sales_client)

    response = manager_client.get(reverse("admin:crm_exportlog_changelist"))

    assert response.status_code == 200
    assert "customers" in response.content.decode()


def test_salesperson_cannot_open_the_export_log(sales_client, customer):
    response = sales_client.get(reverse("admin:crm_exportlog_changelist"))

    assert response.status_code in {302, 403}
    if response.status_code == 302:
        assert response.url.startswith(reverse("admin:login"))


def test_nobody_can_edit_the_export_log_in_admin(manager_client, sales_client, customer):
    download(sales_client)
    log = ExportLog.objects.get()

    change = manager_client.post(
        reverse("admin:crm_exportlog_change", args=[log.pk]), {"row_count": 0}
    )
    delete = manager_client.post(reverse("admin:crm_exportlog_delete", args=[log.pk]))

    assert change.status_code == 403
    assert delete.status_code == 403
    log.refresh_from_db()
    assert log.row_count == 1
