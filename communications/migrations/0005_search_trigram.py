"""Trigram indexes for the communication search (``q``): subject and content (pg_trgm comes
from customers 0007).

Content is indexed too: a reference such as "PO-427568" is only found there. At 3 million
communications (about 60 characters of content each) that index is 205 MB next to a table of
600 MB and took 40 s to build; without it, every search reads the whole table (1-5 s)."""

from django.db import migrations

from crm.migration_operations import analyze, trigram_index


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("communications", "0004_customer_owner_required"),
        ("customers", "0007_search_trigram"),
    ]

    operations = [
        trigram_index("comm_subject_trgm", "communications_communication", "subject"),
        trigram_index("comm_content_trgm", "communications_communication", "content"),
        analyze("communications_communication"),
    ]
