"""The result file's rows are copied while the import reads them (imports.result_file): the
file is the same as one written by reading the file again, which a resumed run does."""

import pytest
from django.core.files.base import ContentFile

from imports.models import ImportRun
from imports.result_file import write_result
from imports.services import import_now
from tests.imports.files import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db(transaction=True)

AWKWARD_ROWS = [
    ["Name", "Phone", "E-mail", "Notes"],
    ["Acme", "+86 138 0000 0001", "buyer@acme.test", "two\nlines, a comma"],
    ["=HYPERLINK(1)", "", "", 'say "hi"'],
    ["", "", "", ""],  # a blank row in the middle
    ["北京科技", "12", "not an e-mail", "\\back slash"],
    ["Beta", "", "b@beta.test", ""],
]


def result_text(run: ImportRun) -> str:
    with run.result_file.open("rb") as result:
        return result.read().decode("utf-8-sig")


@pytest.mark.parametrize(
    "file",
    [
        ContentFile(csv_bytes(AWKWARD_ROWS), name="customers.csv"),
        ContentFile(xlsx_bytes(AWKWARD_ROWS), name="customers.xlsx"),
    ],
    ids=["csv", "xlsx"],
)
def test_the_copied_rows_give_the_file_reading_it_again_gives(salesperson, settings, file):
    settings.CRM_IMPORT_BATCH_ROWS = 2
    run = import_now(by=salesperson, kind="customers", file=file)
    copied = result_text(run)

    write_result(run)  # as a resumed run writes it: the file read again

    assert result_text(ImportRun.objects.get(pk=run.pk)) == copied
    lines = copied.splitlines()
    assert lines[0].startswith("Row,Name,Phone,E-mail,Notes,Outcome")
    assert "2,Acme,'+86 138 0000 0001,buyer@acme.test,\"two" in copied
    assert "Created" in copied and "Failed" in copied
