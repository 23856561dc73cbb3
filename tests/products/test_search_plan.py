"""The product search is answered from indexes (built for a million products): PostgreSQL's
plan for each of its two queries names the index, not a scan of the whole table."""

import pytest
from django.db import connection

from products.models import Product
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def plan_of(queryset, *, walks=True) -> str:
    with connection.cursor() as cursor:
        # On a test-sized table a sequential scan is cheaper; forbid it to see the index.
        cursor.execute("SET LOCAL enable_seqscan = off")
        if not walks:
            # Nor walk the name index in order: which index answers "contains" alone?
            cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes")
def test_both_search_queries_use_an_index():
    ProductFactory.create_batch(20)
    active = Product.objects.filter(is_active=True)
    prefix = active.filter(sku__startswith="SKU-0001").order_by("sku")[:50]
    assert "product_sku_prefix" in plan_of(prefix)
    # On a million rows a rare word is looked up in the trigram index; a common one lets
    # PostgreSQL walk the name index in order and stop at 50 (which it does here).
    assert "product_name_trgm" in plan_of(
        Product.objects.filter(name__icontains="rout"), walks=False
    )
    assert "product_sku_trgm" in plan_of(Product.objects.filter(sku__icontains="0001"), walks=False)
