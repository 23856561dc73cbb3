"""Opening uploaded files: CSV in the encodings and dialects teams send, .xlsx, and refusals."""

import io
import tracemalloc
import zipfile
from collections import deque
from datetime import date, datetime

import pytest
from django.core.files import File
from django.core.files.uploadedfile import TemporaryUploadedFile

from imports import tables, xlsx_table
from imports.reading import ImportFileError, read_table
from tests.imports.files import csv_bytes, excel_style_xlsx, upload, xlsx_bytes

CHINESE_ROWS = [
    ["客户名称", "电话", "邮箱", "负责人"],
    ["北京星辰科技有限公司", "138 0013 8000", "info@xingchen.cn", "王伟"],
    ["上海蓝海贸易", "021-5555 0101", "", "李娜"],
]


def read(data: bytes, name: str):
    return read_table(io.BytesIO(data), filename=name)


def all_rows(table, start=0):
    return list(table.rows(start=start))


def test_utf8_csv_with_bom_reads_headers_without_the_mark():
    table = read(csv_bytes(CHINESE_ROWS, bom=True), "客户.csv")
    assert table.headers == ["客户名称", "电话", "邮箱", "负责人"]
    assert table.encoding == "utf-8-sig"
    assert all_rows(table)[0] == (
        2,
        {
            "客户名称": "北京星辰科技有限公司",
            "电话": "138 0013 8000",
            "邮箱": "info@xingchen.cn",
            "负责人": "王伟",
        },
    )


def test_utf8_csv_without_bom_is_read_as_utf8():
    table = read(csv_bytes(CHINESE_ROWS), "customers.csv")
    assert table.encoding == "utf-8"
    assert table.total_rows == 2


@pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
def test_chinese_excel_csv_is_read_as_gb18030(encoding):
    rows = [*CHINESE_ROWS, ["广州珠江实业（集团）", "020-8888 1234", "", "张敏"]]
    table = read(csv_bytes(rows, encoding=encoding), "客户.csv")
    assert table.encoding == "gb18030"
    assert table.headers[0] == "客户名称"
    assert [row["客户名称"] for _number, row in table.rows()] == [
        "北京星辰科技有限公司",
        "上海蓝海贸易",
        "广州珠江实业（集团）",
    ]


def test_utf16_text_from_excel_is_read():
    data = "\ufeff" + "Name\tPhone\r\nACME\t123\r\n"
    table = read(data.encode("utf-16-le"), "export.csv")
    assert table.headers == ["Name", "Phone"]
    assert all_rows(table) == [(2, {"Name": "ACME", "Phone": "123"})]


def test_semicolon_csv_keeps_commas_inside_amounts():
    rows = [["Name", "Amount", "City"], ["ACME", "1,234.50", "Lyon"], ["Beta", "2,000.00", "Paris"]]
    table = read(csv_bytes(rows, delimiter=";"), "deals.csv")
    assert table.delimiter == ";"
    assert all_rows(table)[0][1] == {"Name": "ACME", "Amount": "1,234.50", "City": "Lyon"}


def test_tab_separated_csv_is_detected():
    rows = [["Name", "Phone", "Notes"], ["ACME", "123", "one, two"], ["Beta", "456", "three"]]
    table = read(csv_bytes(rows, delimiter="\t"), "list.csv")
    assert table.delimiter == "\t"
    assert all_rows(table)[0][1]["Notes"] == "one, two"


def test_single_column_csv_falls_back_to_comma():
    table = read(b"Name\nACME\nBeta\n", "names.csv")
    assert table.headers == ["Name"]
    assert table.total_rows == 2


def test_quoted_newlines_stay_in_the_cell_and_rows_keep_the_numbers_excel_shows():
    rows = [["Name", "Notes"], ["ACME", "line one\nline two"], ["Beta", "plain"]]
    table = read(csv_bytes(rows), "notes.csv")
    assert all_rows(table) == [
        (2, {"Name": "ACME", "Notes": "line one\nline two"}),
        (3, {"Name": "Beta", "Notes": "plain"}),
    ]


def test_empty_rows_are_skipped_but_keep_their_numbers():
    data = b"Name,Phone\nACME,1\n,\n\nBeta,2\n"
    table = read(data, "gaps.csv")
    assert table.total_rows == 2
    assert [number for number, _row in table.rows()] == [2, 5]


def test_empty_rows_above_the_header_are_passed_over():
    table = read(b"\n,,\nName,Phone\nACME,1\n", "late-header.csv")
    assert table.header_row == 3
    assert all_rows(table) == [(4, {"Name": "ACME", "Phone": "1"})]


def test_headers_are_trimmed_named_when_blank_and_made_unique():
    data = b" Name ,,Phone,phone,Phone\nACME,x,1,2,3\n"
    table = read(data, "headers.csv")
    assert table.headers == ["Name", "Column 2", "Phone", "phone (2)", "Phone (3)"]


def test_data_right_of_the_last_header_gets_a_column_name():
    table = read(b"Name,Phone\nACME,1,extra\nBeta,2\n", "wide.csv")
    assert table.headers == ["Name", "Phone", "Column 3"]
    assert all_rows(table) == [
        (2, {"Name": "ACME", "Phone": "1", "Column 3": "extra"}),
        (3, {"Name": "Beta", "Phone": "2", "Column 3": None}),
    ]


def test_trailing_blank_header_cells_without_data_are_dropped():
    table = read(b"Name,Phone,,\nACME,1,,\n", "trailing.csv")
    assert table.headers == ["Name", "Phone"]


def test_rows_resume_after_the_rows_already_done():
    data = b"Name\nA\n\nB\nC\nD\n"
    table = read(data, "resume.csv")
    assert all_rows(table, start=2) == [(5, {"Name": "C"}), (6, {"Name": "D"})]
    assert all_rows(table, start=4) == []


def test_rows_can_be_read_again_and_the_callers_file_stays_open():
    file = io.BytesIO(csv_bytes(CHINESE_ROWS))
    table = read_table(file, filename="again.csv")
    assert all_rows(table) == all_rows(table)
    next(table.rows())  # a pass left half-way
    assert all_rows(table)[-1][0] == 3
    assert not file.closed


def test_a_django_upload_on_disk_is_read_like_one_in_memory():
    upload_on_disk = TemporaryUploadedFile("客户.csv", "text/csv", 0, "utf-8")
    upload_on_disk.write(csv_bytes(CHINESE_ROWS, encoding="gb18030"))
    upload_on_disk.seek(0)
    with upload_on_disk:
        table = read_table(upload_on_disk, filename=upload_on_disk.name)
        assert table.total_rows == 2
        assert all_rows(table)[1][1]["负责人"] == "李娜"


def test_in_memory_upload_is_read():
    table = read_table(upload(csv_bytes(CHINESE_ROWS), "a.csv"), filename="a.csv")
    assert table.total_rows == 2


def test_gb18030_file_whose_chinese_starts_after_the_sample_is_read_as_gb18030():
    ascii_rows = [["Name", "Notes"]] + [[f"Customer {n}", "x" * 60] for n in range(1500)]
    data = csv_bytes(ascii_rows) + "最后一行,备注\n".encode("gb18030")
    table = read(data, "late-chinese.csv")
    assert table.encoding == "gb18030"
    assert all_rows(table)[-1] == (1502, {"Name": "最后一行", "Notes": "备注"})


def test_gb18030_bytes_after_utf8_chinese_are_refused():
    rows = [["客户名称", "备注"]] + [[f"客户 {n}", "x" * 60] for n in range(1500)]
    data = csv_bytes(rows) + "最后一行,备注\n".encode("gb18030")
    with pytest.raises(ImportFileError, match="not readable as UTF-8 text from about row"):
        read(data, "mixed.csv")


def test_10000_row_csv_is_counted_and_streamed():
    rows = [["客户名称", "电话", "金额"]] + [
        [f"客户{n}", f"138{n:08}", f"{n},000.50"] for n in range(10_000)
    ]
    table = read(csv_bytes(rows, encoding="gb18030"), "big.csv")
    assert table.total_rows == 10_000
    numbers = [number for number, _row in table.rows()]
    assert numbers[0] == 2 and numbers[-1] == 10_001 and len(numbers) == 10_000


def test_reading_a_large_csv_holds_one_row_at_a_time():
    rows = [["Name", "Phone", "Notes"]] + [
        [f"Customer {n}", f"138{n:08}", "a note " * 10] for n in range(20_000)
    ]
    data = csv_bytes(rows)  # ~2 MB; as lists of dicts it would take ~15 MB
    tracemalloc.start()
    try:
        table = read(data, "big.csv")
        for _row in table.rows():
            pass
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000


# .xlsx


def test_xlsx_with_chinese_headers_dates_and_numbers():
    rows = [
        ["客户名称", "金额", "预计成交日期", "序列日期", "数量"],
        ["北京星辰科技", 1234.5, date(2026, 3, 1), 45352, 3],
        ["上海蓝海贸易", 99, datetime(2026, 4, 15, 9, 30), 45353, 1],
    ]
    table = read(xlsx_bytes(rows), "商机.xlsx")
    assert table.format == "xlsx"
    assert table.headers == rows[0]
    assert all_rows(table) == [
        (
            2,
            {
                "客户名称": "北京星辰科技",
                "金额": 1234.5,
                "预计成交日期": datetime(2026, 3, 1),
                "序列日期": 45352,
                "数量": 3,
            },
        ),
        (
            3,
            {
                "客户名称": "上海蓝海贸易",
                "金额": 99,
                "预计成交日期": datetime(2026, 4, 15, 9, 30),
                "序列日期": 45353,
                "数量": 1,
            },
        ),
    ]


@pytest.mark.parametrize("references", [True, False])
def test_xlsx_saved_like_excel_reads_shared_strings_and_date_styles(references):
    rows = [
        ["客户名称", "成交日期", "金额"],
        ["北京星辰科技", date(2024, 3, 1), 1234.5],
        ["北京星辰科技", date(2026, 3, 1), 7],
    ]
    table = read(excel_style_xlsx(rows, references=references), "excel.xlsx")
    assert table.total_rows == 2
    assert all_rows(table) == [
        (2, {"客户名称": "北京星辰科技", "成交日期": datetime(2024, 3, 1), "金额": 1234.5}),
        (3, {"客户名称": "北京星辰科技", "成交日期": datetime(2026, 3, 1), "金额": 7}),
    ]


def test_xlsx_empty_rows_keep_their_numbers_and_resume_skips_done_rows():
    rows = [["Name", "Phone"], ["A", 1], [None, None], ["B", 2], ["C", 3]]
    table = read(excel_style_xlsx(rows), "gaps.xlsx")
    assert table.total_rows == 3
    assert all_rows(table) == [
        (2, {"Name": "A", "Phone": 1}),
        (4, {"Name": "B", "Phone": 2}),
        (5, {"Name": "C", "Phone": 3}),
    ]
    assert all_rows(table, start=2) == [(5, {"Name": "C", "Phone": 3})]


def test_xlsx_blank_and_repeated_headers_and_data_beyond_them():
    rows = [["Name", None, "Name"], ["A", "x", "y", "beyond"]]
    table = read(xlsx_bytes(rows), "headers.xlsx")
    assert table.headers == ["Name", "Column 2", "Name (2)", "Column 4"]
    assert all_rows(table)[0][1]["Column 4"] == "beyond"


def test_xlsx_of_10000_rows():
    rows = [["客户名称", "电话", "日期"]] + [
        [f"客户{n}", f"138{n:08}", date(2026, 1, 1)] for n in range(10_000)
    ]
    with read(xlsx_bytes(rows), "big.xlsx") as table:
        assert table.total_rows == 10_000
        (last,) = deque(table.rows(), maxlen=1)
        assert last == (
            10_001,
            {"客户名称": "客户9999", "电话": "13800009999", "日期": datetime(2026, 1, 1)},
        )


def test_closing_an_xlsx_table_keeps_the_callers_file_open():
    file = io.BytesIO(xlsx_bytes(CHINESE_ROWS))
    with read_table(file, filename="a.xlsx") as table:
        assert table.total_rows == 2
    assert table.workbook is None
    assert not file.closed


# Refusals


def refusal(data: bytes, name: str) -> str:
    with pytest.raises(ImportFileError) as caught:
        read(data, name)
    return caught.value.message


@pytest.mark.parametrize("name", ["customers.xls", "customers.txt", "photo.png", "noextension"])
def test_other_file_types_are_refused_by_name(name):
    assert "is not a CSV or Excel (.xlsx) file" in refusal(b"Name\nACME\n", name)


def test_old_excel_workbook_named_xlsx_is_refused_with_what_to_do():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    assert "old Excel (.xls) workbook" in refusal(data, "renamed.xlsx")


def test_an_image_named_csv_is_refused():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)) * 4
    assert "not a CSV text file" in refusal(png, "photo.csv")


def test_a_workbook_named_csv_is_refused_with_what_to_do():
    assert "rename it to .xlsx" in refusal(xlsx_bytes(CHINESE_ROWS), "customers.csv")


def test_a_csv_named_xlsx_is_refused():
    assert "not a valid Excel (.xlsx) workbook" in refusal(csv_bytes(CHINESE_ROWS), "a.xlsx")


def test_a_truncated_xlsx_is_refused():
    data = xlsx_bytes(CHINESE_ROWS)
    assert "not a valid Excel (.xlsx) workbook" in refusal(data[: len(data) // 2], "cut.xlsx")


def test_a_zip_that_is_no_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "not a valid Excel (.xlsx) workbook" in refusal(buffer.getvalue(), "a.xlsx")


def test_a_workbook_with_broken_sheet_xml_is_refused():
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx_bytes(CHINESE_ROWS))) as source,
        zipfile.ZipFile(buffer, "w") as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) - 40]
            target.writestr(info, data)
    assert "not a valid Excel (.xlsx) workbook" in refusal(buffer.getvalue(), "broken.xlsx")


@pytest.mark.parametrize(
    ("data", "name"), [(b"", "empty.csv"), (b"", "empty.xlsx")], ids=["csv", "xlsx"]
)
def test_an_empty_file_is_refused(data, name):
    assert refusal(data, name) == "The file is empty."


@pytest.mark.parametrize("data", [b"\n\n,,\n", b"\xef\xbb\xbf"], ids=["blank lines", "only a BOM"])
def test_a_csv_without_any_row_is_refused(data):
    assert "no rows: not even a header row" in refusal(data, "blank.csv")


def test_a_header_without_rows_is_refused():
    assert "header row but no rows under it" in refusal(b"Name,Phone\n", "header.csv")
    assert "header row but no rows under it" in refusal(xlsx_bytes([["Name"]]), "header.xlsx")


def test_a_first_row_of_numbers_is_not_taken_for_a_header():
    assert "must hold the column names" in refusal(b"1,2026-03-01\n2,2026-03-02\n", "data.csv")
    assert "must hold the column names" in refusal(xlsx_bytes([[1, 2], [3, 4]]), "data.xlsx")


def test_a_file_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(tables, "MAX_FILE_BYTES", 1024 * 1024)
    data = csv_bytes([["Name"]] + [["x" * 100]] * 11_000)
    assert refusal(data, "big.csv").startswith("The file is 1.1 MB; files up to 1 MB")


@pytest.mark.parametrize(
    ("write", "name"), [(csv_bytes, "rows.csv"), (xlsx_bytes, "rows.xlsx")], ids=["csv", "xlsx"]
)
def test_a_file_over_the_row_limit_is_refused_and_one_at_it_is_read(monkeypatch, write, name):
    monkeypatch.setattr(tables, "MAX_ROWS", 5)
    header = [["Name"]]
    assert read(write(header + [["x"]] * 5), name).total_rows == 5
    assert "more than 5 rows" in refusal(write(header + [["x"]] * 6), name)


def test_too_many_columns_are_refused(monkeypatch):
    monkeypatch.setattr(tables, "MAX_COLUMNS", 3)
    assert "has 4 columns" in refusal(b"a,b,c,d\n1,2,3,4\n", "wide.csv")


def test_a_workbook_with_too_much_shared_text_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr(xlsx_table, "MAX_SHARED_STRINGS_BYTES", 100)
    rows = [["Name"]] + [[f"Customer {n}"] for n in range(20)]
    assert "more text than can be read at once" in refusal(excel_style_xlsx(rows), "a.xlsx")


def test_a_stored_file_reopened_by_the_worker_is_read(tmp_path):
    path = tmp_path / "stored"
    path.write_bytes(xlsx_bytes(CHINESE_ROWS))
    with File(path.open("rb")) as stored, read_table(stored, filename="客户.XLSX") as table:
        assert table.total_rows == 2
        assert all_rows(table)[0][1]["负责人"] == "王伟"
