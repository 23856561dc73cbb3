import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from crm.migration_operations import customer_owner_in_step


class Migration(migrations.Migration):
    dependencies = [
        ("opportunities", "0004_customer_owner"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="opportunity",
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
            model_name="opportunity",
            index=models.Index(
                fields=["customer_owner", "-updated_at", "-id"], name="opp_co_updated"
            ),
        ),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(fields=["customer_owner", "name", "id"], name="opp_co_name"),
        ),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(fields=["customer_owner", "amount", "id"], name="opp_co_amount"),
        ),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(
                fields=["customer_owner", "weighted_amount", "id"], name="opp_co_weighted"
            ),
        ),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(
                fields=["customer_owner", "probability", "id"], name="opp_co_probability"
            ),
        ),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(fields=["customer_owner", "stage", "id"], name="opp_co_stage"),
        ),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(
                fields=["customer_owner", "expected_close_date", "id"], name="opp_co_close"
            ),
        ),
        customer_owner_in_step("opportunities_opportunity"),
    ]
