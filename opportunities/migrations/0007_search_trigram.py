"""Trigram indexes for the deal search (``q``): name and next step; the customer's name is
searched through the customers' index (customers 0007, which also creates pg_trgm)."""

from django.db import migrations

from crm.migration_operations import analyze, trigram_index


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("customers", "0007_search_trigram"),
        ("opportunities", "0006_dashboard_indexes"),
    ]

    operations = [
        trigram_index("opp_name_trgm", "opportunities_opportunity", "name"),
        trigram_index("opp_next_step_trgm", "opportunities_opportunity", "next_step"),
        analyze("opportunities_opportunity"),
    ]
