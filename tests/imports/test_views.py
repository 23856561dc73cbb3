"""The import pages: upload, mapping, preview, start, progress, result and undo, and who
may see them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from customers.models import Customer
from imports.models import ImportRun
from imports.services import import_now
from tests.imports.files import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

ROWS = [["Name", "E-mail", "Phone"], ["Acme", "a@acme.test", "021 555"], ["Beta", "bad@", ""]]


def upload(client, data: bytes, name="customers.csv", kind="customers"):
    return client.post(
        reverse("imports:new"), {"kind": kind, "file": SimpleUploadedFile(name, data)}
    )


def test_a_file_that_is_not_a_table_is_refused_and_nothing_is_kept(sales_client):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)) * 4
    response = upload(sales_client, png, name="picture.csv")

    assert response.status_code == 200
    assert "is-invalid" in response.text or "invalid-feedback" in response.text
    assert not ImportRun.objects.exists()


def test_upload_map_preview_and_start(
    sales_client, salesperson, django_capture_on_commit_callbacks
):
    response = upload(sales_client, xlsx_bytes(ROWS), name="customers.xlsx")
    run = ImportRun.objects.get()
    assert response["Location"] == reverse("imports:mapping", args=[run.pk])
    assert run.mapping == {"Name": "name", "E-mail": "email", "Phone": "phone"}

    page = sales_client.get(response["Location"])
    assert 'name="column_0"' in page.text and "Owner of every imported record" not in page.text
    response = sales_client.post(
        reverse("imports:mapping", args=[run.pk]),
        {"column_0": "name", "column_1": "email", "column_2": "", "on_duplicate": "skip"},
    )
    assert response["Location"] == reverse("imports:preview", args=[run.pk])

    preview = sales_client.get(response["Location"])
    assert (
        "Acme" in preview.text and '<th scope="col" class="text-nowrap">E-mail</th>' in preview.text
    )
    assert "bad@" in preview.text or "not a valid e-mail" in preview.text
    assert not Customer.objects.exists()  # a preview stores nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = sales_client.post(reverse("imports:start", args=[run.pk]))
    run.refresh_from_db()
    assert response["Location"] == run.get_absolute_url()
    assert run.confirmed_at and run.status == "queued"
    assert DBTaskResult.objects.get().args_kwargs["args"] == [run.pk]
    detail = sales_client.get(run.get_absolute_url())
    assert 'hx-trigger="every 1s"' in detail.text and "Waiting to run" in detail.text


def test_a_mapping_missing_the_name_shows_why(sales_client):
    upload(sales_client, csv_bytes(ROWS))
    run = ImportRun.objects.get()

    response = sales_client.post(
        reverse("imports:mapping", args=[run.pk]),
        {"column_0": "", "column_1": "email", "column_2": "email", "on_duplicate": "skip"},
    )

    assert response.status_code == 200
    assert "more than one column" in response.text and "Choose a column for" in response.text
    run.refresh_from_db()
    assert run.mapping["Name"] == "name"  # unchanged


def test_a_managers_mapping_offers_the_owner(manager_client):
    upload(manager_client, csv_bytes(ROWS))
    page = manager_client.get(reverse("imports:mapping", args=[ImportRun.objects.get().pk]))
    assert "Owner of every imported record" in page.text


def test_someone_elses_import_is_not_found_but_a_manager_sees_it(
    salesperson, teammate_client, manager_client
):
    run = import_now(
        by=salesperson,
        kind="customers",
        file=SimpleUploadedFile("c.csv", csv_bytes(ROWS)),
    )
    for name in ("detail", "result", "mapping", "preview"):
        assert teammate_client.get(reverse(f"imports:{name}", args=[run.pk])).status_code == 404
    assert teammate_client.post(reverse("imports:undo", args=[run.pk])).status_code == 404
    assert manager_client.get(reverse("imports:detail", args=[run.pk])).status_code == 200
    assert run.file_name in manager_client.get(reverse("imports:list")).text
    assert run.file_name not in teammate_client.get(reverse("imports:list")).text


def test_the_finished_page_offers_the_result_and_undo(sales_client, salesperson):
    run = import_now(
        by=salesperson, kind="customers", file=SimpleUploadedFile("c.csv", csv_bytes(ROWS))
    )

    page = sales_client.get(run.get_absolute_url())
    assert "hx-trigger" not in page.text
    assert "1 created" in page.text and "1 failed" in page.text
    result = sales_client.get(reverse("imports:result", args=[run.pk]))
    assert b"".join(result.streaming_content).decode("utf-8-sig").startswith("Row,Name")

    response = sales_client.post(reverse("imports:undo", args=[run.pk]), follow=True)
    assert "The import has been undone." in response.text
    assert not Customer.objects.exists()


def test_progress_is_a_part_of_the_page_for_htmx(sales_client, salesperson):
    run = import_now(
        by=salesperson, kind="customers", file=SimpleUploadedFile("c.csv", csv_bytes(ROWS))
    )
    part = sales_client.get(run.get_absolute_url(), headers={"HX-Request": "true"})
    assert part.text.lstrip().startswith('<div id="import-progress"')


def test_managers_read_every_import_in_admin(salesperson, manager_client):
    run = import_now(
        by=salesperson, kind="customers", file=SimpleUploadedFile("c.csv", csv_bytes(ROWS))
    )
    page = manager_client.get(reverse("admin:imports_importrun_changelist"))
    assert page.status_code == 200 and run.file_name in page.text


def test_the_preview_shows_the_values_in_the_files_column_order(sales_client):
    # PostgreSQL gives the stored mapping back shortest header first ("Phone", "E-mail").
    upload(sales_client, csv_bytes([["Customer name", "E-mail", "Phone"], ["Acme", "", "021 555"]]))
    run = ImportRun.objects.get()

    preview = sales_client.get(reverse("imports:preview", args=[run.pk]))

    assert [str(label) for label in preview.context["columns"]] == ["Name", "E-mail", "Phone"]
    assert preview.context["rows"][0]["cells"] == [("Acme", False), ("", False), ("021 555", False)]


def test_the_preview_shows_a_refused_value_as_the_file_has_it_marked(sales_client):
    upload(sales_client, csv_bytes([["Name", "E-mail", "Rating"], ["Acme", "bad@", "Z"]]))
    run = ImportRun.objects.get()

    preview = sales_client.get(reverse("imports:preview", args=[run.pk]))

    assert preview.context["rows"][0]["cells"] == [("Acme", False), ("bad@", True), ("Z", True)]
    assert '<span class="text-danger text-decoration-underline"' in preview.text


def test_the_preview_shows_choices_by_their_label_and_tags_joined(sales_client):
    rows = [["Name", "行业", "Rating", "Tags"], ["Acme", "制造", "A", "VIP; 华东"]]
    upload(sales_client, csv_bytes(rows))
    run = ImportRun.objects.get()

    preview = sales_client.get(reverse("imports:preview", args=[run.pk]))

    assert [value for value, _refused in preview.context["rows"][0]["cells"]] == [
        "Acme",
        "Manufacturing",
        "A · key account",
        "VIP, 华东",
    ]


def test_the_result_is_named_after_the_file_even_when_another_import_had_the_same_name(
    sales_client, salesperson
):
    for _ in range(2):
        run = import_now(
            by=salesperson, kind="customers", file=SimpleUploadedFile("c.csv", csv_bytes(ROWS))
        )

    response = sales_client.get(reverse("imports:result", args=[run.pk]))
    response.close()

    assert not run.result_file.name.endswith("/c-result.csv")  # kept apart by the storage
    assert response["Content-Disposition"] == 'attachment; filename="c-result.csv"'
