from django.db import migrations

from crm.migration_operations import PostgreSQLOnly


class Migration(migrations.Migration):
    dependencies = [("customers", "0002_role_permissions")]

    operations = [
        # What the records' (customer, customer_owner) foreign keys point at. PostgreSQL only:
        # on SQLite (the demo) the customers' reassignment service moves the copies itself.
        PostgreSQLOnly(
            sql="ALTER TABLE customers_customer ADD CONSTRAINT customer_id_owner_key "
            "UNIQUE (id, owner_id)",
            reverse_sql="ALTER TABLE customers_customer DROP CONSTRAINT customer_id_owner_key",
        ),
    ]
