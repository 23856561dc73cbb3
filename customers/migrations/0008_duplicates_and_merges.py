"""Duplicates and merging (customers.duplicates, customers.merge): the keys of the name and
the e-mail that duplicates are matched on, filled in for existing customers; an index per key
(everyone's and each owner's, merged customers left out) in place of the phone's and the
e-mail's; the link from a merged customer to the one kept, and the record of each merge.

Not atomic: on PostgreSQL the keys are filled in batches, each its own transaction (one
UPDATE of a million rows would hold its locks for minutes), and the indexes are built
CONCURRENTLY, so that the table stays writable meanwhile."""

import django.db.models.deletion
from django.conf import settings
from django.db import connections, migrations, models, transaction

from customers.querysets import KEYS_SQL, email_key, name_key

BATCH = 20_000


def fill_keys(apps, schema_editor):
    """``name_key`` and ``email_key`` of every customer, one id range per transaction: in SQL
    on PostgreSQL, then in Python for the rows SQL may fold differently (a character beyond
    printable ASCII); in Python alone elsewhere."""
    customers = apps.get_model("customers", "Customer")
    # The tests replay data migrations without a schema editor (tests/conftest.py).
    connection = schema_editor.connection if schema_editor else connections[customers.objects.db]
    table = customers._meta.db_table
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT min(id), max(id) FROM {table}")
        low, high = cursor.fetchone()
    for start in range(low or 0, (high or -1) + 1, BATCH):
        span = (start, start + BATCH)
        where = "WHERE id >= %s AND id < %s"
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            if postgres:
                keys = ", ".join(f"{column} = {sql}" for column, sql in KEYS_SQL.items())
                cursor.execute(f"UPDATE {table} SET {keys} {where}", span)
                where += " AND (name ~ '[^ -~]' OR email ~ '[^ -~]')"
            cursor.execute(
                f"SELECT id, name, name_key, email, email_key FROM {table} {where}", span
            )
            stale = [
                (name_key(name), email_key(email), pk)
                for pk, name, old_name_key, email, old_email_key in cursor.fetchall()
                if (name_key(name), email_key(email)) != (old_name_key, old_email_key)
            ]
            cursor.executemany(
                f"UPDATE {table} SET name_key = %s, email_key = %s WHERE id = %s", stale
            )


def _concurrently(schema_editor) -> dict:
    return {"concurrently": True} if schema_editor.connection.vendor == "postgresql" else {}


class AddIndexConcurrently(migrations.AddIndex):
    """``AddIndex`` that does not block writes on PostgreSQL; plain elsewhere."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.add_index(model, self.index, **_concurrently(schema_editor))

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.remove_index(model, self.index, **_concurrently(schema_editor))


class Migration(migrations.Migration):
    atomic = False
    dependencies = [
        ("customers", "0007_search_trigram"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CustomerMerge",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "merged_name",
                    models.CharField(max_length=200, verbose_name="merged customer's name"),
                ),
                ("merged_number", models.BigIntegerField(verbose_name="merged customer's id")),
                ("merged_at", models.DateTimeField(auto_now_add=True, verbose_name="merged")),
                (
                    "changes",
                    models.JSONField(blank=True, default=dict, verbose_name="values taken"),
                ),
                ("moved", models.JSONField(blank=True, default=dict, verbose_name="records moved")),
            ],
            options={
                "verbose_name": "customer merge",
                "verbose_name_plural": "customer merges",
                "ordering": ["-merged_at", "-id"],
            },
        ),
        migrations.AddField(
            model_name="customer",
            name="email_key",
            field=models.CharField(blank=True, editable=False, max_length=254),
        ),
        migrations.AddField(
            model_name="customer",
            name="merged_into",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="merged_customers",
                to="customers.customer",
                verbose_name="merged into",
            ),
        ),
        migrations.AddField(
            model_name="customer",
            name="name_key",
            field=models.CharField(blank=True, editable=False, max_length=255),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop, elidable=True),
        AddIndexConcurrently(
            model_name="customer",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", True)),
                fields=["email_key", "owner", "id"],
                name="customer_email_key",
            ),
        ),
        AddIndexConcurrently(
            model_name="customer",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", True)),
                fields=["phone_normalized", "owner", "id"],
                name="customer_phone_key",
            ),
        ),
        AddIndexConcurrently(
            model_name="customer",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", True)),
                fields=["name_key", "owner", "id"],
                name="customer_name_key",
            ),
        ),
        AddIndexConcurrently(
            model_name="customer",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", True)),
                fields=["owner", "email_key"],
                name="customer_owner_email_key",
            ),
        ),
        AddIndexConcurrently(
            model_name="customer",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", True)),
                fields=["owner", "phone_normalized"],
                name="customer_owner_phone_key",
            ),
        ),
        AddIndexConcurrently(
            model_name="customer",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", True)),
                fields=["owner", "name_key"],
                name="customer_owner_name_key",
            ),
        ),
        AddIndexConcurrently(
            model_name="customer",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", False)),
                fields=["merged_into"],
                name="customer_merged_into",
            ),
        ),
        migrations.RemoveIndex(
            model_name="customer",
            name="customer_phone_normalized",
        ),
        migrations.RemoveIndex(
            model_name="customer",
            name="customer_email_upper",
        ),
        migrations.AddField(
            model_name="customermerge",
            name="by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="merged by",
            ),
        ),
        migrations.AddField(
            model_name="customermerge",
            name="merged",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="customers.customer",
                verbose_name="merged customer",
            ),
        ),
        migrations.AddField(
            model_name="customermerge",
            name="survivor",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="merges",
                to="customers.customer",
                verbose_name="customer kept",
            ),
        ),
    ]
