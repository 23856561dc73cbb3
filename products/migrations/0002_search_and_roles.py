"""Trigram indexes for the product search (a quote line's product box and the list's ``q``)
on the SKU and the name, and the roles' rights: everyone reads the catalogue, sales managers
add and change it and see cost prices."""

from django.db import migrations

from crm.migration_operations import analyze, trigram_index
from crm.roles import SALES, SALES_MANAGERS, grant_permissions


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        {
            SALES: ["products.view_product"],
            SALES_MANAGERS: [
                "products.view_product",
                "products.add_product",
                "products.change_product",
                "products.view_cost_price",
            ],
        },
    )


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("customers", "0007_search_trigram"),
        ("crm", "0002_roles"),
        ("products", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(grant, migrations.RunPython.noop),
        trigram_index("product_sku_trgm", "products_product", "sku"),
        trigram_index("product_name_trgm", "products_product", "name"),
        analyze("products_product"),
    ]
