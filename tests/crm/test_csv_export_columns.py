"""Every export column is formatted by its field's kind: what a user reads, kind by kind.

The export chooses one formatter per column from the model field instead of looking at each
value's type (crm.csv_export.column_formatter); these tests pin that every kind still reads
exactly as ``csv_cell`` renders it.
"""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db.models import Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone, translation

from communications.models import Communication
from crm.csv_export import (
    ROWS_PER_CHUNK,
    Column,
    CsvExportView,
    column_formatter,
    csv_cell,
    path_field,
)
from crm.models import ExportLog
from customers.models import Customer
from opportunities.models import Opportunity
from tests.factories import CommunicationFactory, CustomerFactory, OpportunityFactory


def written(cells) -> str:
    """One CSV line as csv.writer writes it."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(cells)
    return buffer.getvalue()


def rows_of(body: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"), newline="")))


def export(client, name, params=None, **headers) -> list[dict]:
    response = client.get(reverse(f"{name}:export"), params or {}, headers=headers)
    assert response.status_code == 200
    return rows_of(b"".join(response.streaming_content).decode("utf-8"))


WINTER = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
SUMMER = datetime(2026, 7, 1, 12, 0, 0, 500000, tzinfo=UTC)
TEXTS = [None, "", "Acme", "上海华腾", "=1+1", "+86 138", "-minus", "@SUM(A1)", "\tx", "\rx", "a=b"]


@pytest.mark.parametrize(
    ("model", "path", "values"),
    [
        (Customer, "id", [None, 1, 123456789]),
        (Customer, "name", TEXTS),
        (Customer, "email", TEXTS),
        (Customer, "needs", TEXTS),
        (Customer, "owner__username", TEXTS),
        (Customer, "created_at", [None, WINTER, SUMMER]),
        (Customer, "archived_at", [None, WINTER]),
        (Communication, "follow_up_on", [None, date(2026, 3, 9)]),
        (Communication, "follow_up_done", [None, True, False]),
        (Communication, "opportunity__name", TEXTS),
        (Opportunity, "amount", [None, Decimal("0.00"), Decimal("-1234.50"), Decimal("99.99")]),
        (Opportunity, "weighted_amount", [None, Decimal("1234.55")]),
        (Opportunity, "probability", [None, 0, 100]),
    ],
)
def test_each_column_kind_writes_what_csv_cell_writes(settings, model, path, values):
    settings.TIME_ZONE = "America/New_York"  # both standard and daylight-saving offsets
    formatter = column_formatter(path_field(model, path), (), timezone.get_current_timezone())

    for value in values:
        cell = value if formatter is None else formatter(value)
        assert written([cell]) == written([csv_cell(value)]), (path, value)


def test_a_choice_column_writes_labels_and_leaves_unknown_codes_as_text():
    formatter = column_formatter(
        path_field(Customer, "status"), Customer.Status.choices, timezone.get_current_timezone()
    )

    with translation.override("en"):
        cells = [formatter(value) for value in ("active", "", None, "-legacy", "retired")]

    assert [written([cell]).rstrip() for cell in cells] == [
        "Active",
        '""',
        '""',
        "'-legacy",
        "retired",
    ]


def test_export_shows_datetimes_in_the_time_zone_with_its_daylight_saving(
    settings, sales_client, salesperson
):
    settings.TIME_ZONE = "America/New_York"
    customer = CustomerFactory(owner=salesperson)
    Customer.objects.filter(pk=customer.pk).update(created_at=WINTER, updated_at=SUMMER)

    (row,) = export(sales_client, "customers")

    assert row["Created"] == "2026-01-01T22:04:05-05:00"
    assert row["Updated"] == "2026-07-01T08:00:00-04:00"
    assert row["Archived"] == ""


def test_export_shows_labels_and_keeps_unlabelled_codes_readable(sales_client, salesperson):
    customer = CustomerFactory(
        owner=salesperson, kind=Customer.Kind.COMPANY, industry="", rating=Customer.Rating.A
    )
    Customer.objects.filter(pk=customer.pk).update(status="=legacy")

    (row,) = export(sales_client, "customers")

    assert row["Kind"] == "Company"
    assert row["Industry"] == ""
    assert row["Rating"] == "A · key account"
    assert row["Status"] == "'=legacy"
    assert row["ID"] == str(customer.pk)


def test_communication_export_writes_yes_no_iso_dates_and_empty_links(
    settings, sales_client, customer
):
    settings.TIME_ZONE = "Asia/Shanghai"
    CommunicationFactory(
        customer=customer,
        subject="Done",
        occurred_at=WINTER,
        follow_up_on=date(2026, 3, 9),
        follow_up_done=True,
        follow_up_done_at=SUMMER,
    )
    CommunicationFactory(customer=customer, subject="+1 more call", occurred_at=SUMMER)

    rows = {row["Subject"]: row for row in export(sales_client, "communications")}

    done, open_ = rows["Done"], rows["'+1 more call"]
    assert (done["Follow-up done"], open_["Follow-up done"]) == ("yes", "no")
    assert (done["Follow up on"], open_["Follow up on"]) == ("2026-03-09", "")
    assert (done["Follow-up done at"], open_["Follow-up done at"]) == (
        "2026-07-01T20:00:00+08:00",
        "",
    )
    assert done["When"] == "2026-01-02T11:04:05+08:00"
    assert done["Opportunity"] == ""
    assert done["Channel"] == "Phone"


def test_opportunity_export_writes_amounts_as_plain_decimals(sales_client, customer):
    OpportunityFactory(
        customer=customer, amount=Decimal("12345.50"), stage="prospecting", next_step="-call"
    )

    (row,) = export(sales_client, "opportunities")

    assert row["Amount"] == "12345.50"
    assert row["Probability (%)"] == "10"
    assert row["Weighted amount"] == "1234.55"
    assert row["Expected close date"] == ""
    assert row["Next step"] == "'-call"
    assert row["Stage"] == "Prospecting"


def test_chinese_user_reads_labels_and_yes_no_in_chinese(sales_client, customer):
    CommunicationFactory(customer=customer)

    (row,) = export(sales_client, "communications", accept_language="zh-hans")

    with translation.override("zh-hans"):
        phone, no = str(Communication.Channel.PHONE.label), translation.gettext("no")
        done_header = str(translation.gettext("Follow-up done"))
    assert no == "否"
    assert row[done_header] == no
    assert phone in row.values()


class AnnotatedExportView(CsvExportView):
    """Columns that are not plain fields: a transform, a relation's id and an annotation."""

    model = Customer
    columns = [
        Column("created_at__date", "Created on"),
        Column("owner", "Owner id"),
        Column("formula", "Formula"),
    ]

    def export_queryset(self, queryset):
        return queryset.annotate(formula=Concat(Value("="), "name"))


def test_columns_that_are_not_plain_fields_are_rendered_value_by_value(salesperson):
    customer = CustomerFactory(owner=salesperson, name="A1")
    Customer.objects.filter(pk=customer.pk).update(created_at=datetime(2026, 5, 6, 12, tzinfo=UTC))
    view = AnnotatedExportView()
    rows = view.export_queryset(Customer.objects.all()).values_list(*[c.path for c in view.columns])
    log = ExportLog.objects.create(user=salesperson, list_name="customers")

    (row,) = rows_of("".join(view.stream(rows, log)))

    assert row == {"Created on": "2026-05-06", "Owner id": str(salesperson.pk), "Formula": "'=A1"}


def test_export_of_several_batches_has_every_row_once_in_order(sales_client, salesperson):
    count = 2 * ROWS_PER_CHUNK + 1
    Customer.objects.bulk_create(
        Customer(owner=salesperson, name=f"Bulk {n:05d}") for n in range(count)
    )

    body = b"".join(
        sales_client.get(reverse("customers:export"), {"sort": "name"}).streaming_content
    ).decode("utf-8")

    assert body.count("\ufeff") == 1
    assert [row["Name"] for row in rows_of(body)] == [f"Bulk {n:05d}" for n in range(count)]
    assert ExportLog.objects.get().row_count == count
