import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from crm.migration_operations import customer_owner_in_step


class Migration(migrations.Migration):
    dependencies = [
        ("communications", "0003_customer_owner"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="communication",
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
            model_name="communication",
            index=models.Index(
                fields=["customer_owner", "-occurred_at", "-id"], name="comm_co_occurred"
            ),
        ),
        migrations.AddIndex(
            model_name="communication",
            index=models.Index(fields=["customer_owner", "subject", "id"], name="comm_co_subject"),
        ),
        migrations.AddIndex(
            model_name="communication",
            index=models.Index(
                fields=["customer_owner", "channel", "-occurred_at", "-id"], name="comm_co_channel"
            ),
        ),
        migrations.AddIndex(
            model_name="communication",
            index=models.Index(
                fields=["customer_owner", "follow_up_on", "id"], name="comm_co_follow_up"
            ),
        ),
        migrations.AddIndex(
            model_name="communication",
            index=models.Index(
                condition=models.Q(("follow_up_done", False), ("follow_up_on__isnull", False)),
                fields=["customer_owner", "follow_up_on", "id"],
                name="comm_co_open_follow_up",
            ),
        ),
        customer_owner_in_step("communications_communication"),
    ]
