import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from crm.migration_operations import customer_owner_in_step


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0004_customer_owner"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="order",
            name="customer_owner",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="customer's owner",
            ),
        ),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(
                fields=["customer_owner", "-created_at", "-id"], name="order_co_created"
            ),
        ),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(fields=["customer_owner", "number", "id"], name="order_co_number"),
        ),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(fields=["customer_owner", "total", "id"], name="order_co_total"),
        ),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(
                fields=["customer_owner", "status", "-created_at", "-id"], name="order_co_status"
            ),
        ),
        customer_owner_in_step("orders_order"),
    ]
