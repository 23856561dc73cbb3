"""Trigram indexes for the customer search (``q``): name, e-mail, phone, the phone's digits
and contacts' names, so that a search word reads a few index pages instead of every row.

pg_trgm must exist in the database. It is a trusted extension (PostgreSQL 13+): the
migration creates it when the database user may create objects in the database (its owner
does); otherwise a superuser runs ``CREATE EXTENSION pg_trgm;`` in it once, beforehand.
The extension stays when the migration is reversed: other objects may use it."""

from django.db import migrations

from crm.migration_operations import PostgreSQLOnly, analyze, trigram_index


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("customers", "0006_owner_name_sort"),
    ]

    operations = [
        PostgreSQLOnly(
            sql="CREATE EXTENSION IF NOT EXISTS pg_trgm",
            reverse_sql=migrations.RunSQL.noop,
        ),
        trigram_index("customer_name_trgm", "customers_customer", "name"),
        trigram_index("customer_email_trgm", "customers_customer", "email"),
        trigram_index("customer_phone_trgm", "customers_customer", "phone"),
        # A number typed with spaces matches the digits: phone_normalized__contains, which
        # Django writes without UPPER.
        trigram_index(
            "customer_phone_digits_trgm", "customers_customer", "phone_normalized", upper=False
        ),
        trigram_index("contact_name_trgm", "customers_contact", "name"),
        analyze("customers_customer", "customers_contact"),
    ]
