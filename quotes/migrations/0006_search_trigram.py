"""Trigram index for the quote search (``q``) on the number, e.g. "Q-2025-00042" or its end
"00042"; the customer's name is searched through the customers' index (customers 0007,
which also creates pg_trgm)."""

from django.db import migrations

from crm.migration_operations import analyze, trigram_index


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("customers", "0007_search_trigram"),
        ("quotes", "0005_pending_approval_index"),
    ]

    operations = [
        trigram_index("quote_number_trgm", "quotes_quote", "number"),
        analyze("quotes_quote"),
    ]
