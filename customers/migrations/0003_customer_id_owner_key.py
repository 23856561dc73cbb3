from django.db import migrations


def add_key(apps, schema_editor):
    # What the records' (customer, customer_owner) foreign keys point at. PostgreSQL only:
    # on SQLite (the demo) the customers' reassignment service moves the copies itself.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE customers_customer ADD CONSTRAINT customer_id_owner_key "
            "UNIQUE (id, owner_id)"
        )


def drop_key(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE customers_customer DROP CONSTRAINT customer_id_owner_key"
        )


class Migration(migrations.Migration):
    dependencies = [("customers", "0002_role_permissions")]

    operations = [migrations.RunPython(add_key, drop_key, elidable=False)]
