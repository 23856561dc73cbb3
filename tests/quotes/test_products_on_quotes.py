"""Quote pages with catalogue products: the form picks a product, the page shows tax per
rate, and only managers see costs and margins."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from quotes import services
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db
D = Decimal


def form_data(**line):
    data = {
        "valid_until": "2099-01-01",
        "terms": "",
        "notes": "",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
    }
    data.update({f"lines-0-{name}": value for name, value in line.items()})
    return data


def test_salesperson_quotes_a_product_and_its_cost_stays_hidden(
    sales_client, manager_client, opportunity
):
    product = ProductFactory(name="Router", list_price=D("100.00"), cost_price=D("61.50"))
    response = sales_client.post(
        f"{reverse('quotes:create')}?opportunity={opportunity.pk}",
        form_data(product=product.pk, description="Router", quantity="2"),
    )
    assert response.status_code == 302
    quote = opportunity.quotes.get()
    line = quote.lines.get()
    assert (line.unit_price, line.tax_rate, line.cost_price) == (
        D("100.00"),
        D("13.00"),
        D("61.50"),
    )
    page = sales_client.get(quote.get_absolute_url()).content.decode()
    assert "Tax 13% on CNY 200.00" in page and "CNY 226.00" in page
    assert "61.50" not in page and "quote-margin" not in page and "Margin" not in page
    printable = sales_client.get(reverse("quotes:print", args=[quote.pk])).content.decode()
    assert "Tax 13% on CNY 200.00" in printable and "61.50" not in printable
    managers_page = manager_client.get(quote.get_absolute_url()).content.decode()
    assert 'id="quote-margin"' in managers_page and "77.00" in managers_page  # 200 − 123


def test_a_free_text_line_needs_a_price(sales_client, opportunity):
    response = sales_client.post(
        f"{reverse('quotes:create')}?opportunity={opportunity.pk}",
        form_data(description="Consulting", quantity="1"),
    )
    assert response.status_code == 200 and not opportunity.quotes.exists()


def test_editing_a_draft_keeps_the_product_and_its_copied_price(
    sales_client, salesperson, opportunity
):
    product = ProductFactory(list_price=D("100.00"))
    quote = services.create_quote(
        by=salesperson,
        opportunity_id=opportunity.pk,
        valid_until="2099-01-01",
        lines=[{"product": product.pk, "quantity": D("1")}],
    )
    product.list_price = D("120.00")
    product.save()
    page = sales_client.get(reverse("quotes:update", args=[quote.pk])).content.decode()
    assert f'value="{product.pk}"' in page and 'value="100.00"' in page


def test_quote_export_leaves_margins_out_for_salespeople(sales_client, manager_client, draft):
    header = lambda client: next(  # noqa: E731
        iter(b"".join(client.get(reverse("quotes:export")).streaming_content).decode().splitlines())
    )
    assert "Margin" not in header(sales_client)
    assert "Margin" in header(manager_client) and "Tax" in header(sales_client)


def columns_of(row: str) -> int:
    """How many columns a table row spans (its cells' colspans added up)."""
    cells = re.findall(r"<t[hd]\b([^>]*)>", row)
    return sum(int(m.group(1)) if (m := re.search(r'colspan="(\d+)"', c)) else 1 for c in cells)


@pytest.mark.parametrize("viewer", ["sales_client", "manager_client"])
def test_the_totals_rows_span_the_lines_columns(viewer, request, opportunity, salesperson):
    """A manager's lines have a margin column: the totals under them span it too."""
    product = ProductFactory(list_price=D("100.00"), cost_price=D("61.50"))
    quote = services.create_quote(
        by=salesperson,
        opportunity_id=opportunity.pk,
        valid_until="2099-01-01",
        lines=[{"product": product.pk, "description": "Router", "quantity": "2"}],
    )
    page = request.getfixturevalue(viewer).get(quote.get_absolute_url()).content.decode()
    table = page[page.index('id="quote-lines"') :]
    header = table[table.index("<thead") : table.index("</thead>")]
    totals = table[table.index('<tfoot id="quote-totals"') : table.index("</tfoot>")]
    widths = {columns_of(row) for row in re.findall(r"<tr\b.*?</tr>", totals, re.S)}
    assert widths == {columns_of(header)}
