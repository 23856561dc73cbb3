"""Trigram index for the order search (``q``) on the number, e.g. "SO-2025-00042"; the
customer's name is searched through the customers' index (customers 0007, which also
creates pg_trgm)."""

from django.db import migrations

from crm.migration_operations import analyze, trigram_index


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("customers", "0007_search_trigram"),
        ("orders", "0006_pending_approval_index"),
    ]

    operations = [
        trigram_index("order_number_trgm", "orders_order", "number"),
        analyze("orders_order"),
    ]
