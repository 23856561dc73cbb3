from django.conf import settings
from django.db import migrations, models

# Users in the order the customers list sorts owners by (CustomerFilter.sort_fields["owner"]), so
# that PostgreSQL reads owners in that order and each one's customers from
# customer_owner_current, instead of sorting a million customers. auth_user belongs to
# Django, so the index is added here, in plain SQL both databases understand.
USER_NAME_INDEX = (
    "CREATE INDEX IF NOT EXISTS auth_user_name_order ON auth_user (first_name, last_name, username)"
)


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0005_owner_sort_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(
                condition=models.Q(("archived_at__isnull", True)),
                fields=["owner", "id"],
                name="customer_owner_current",
            ),
        ),
        migrations.RunSQL(USER_NAME_INDEX, "DROP INDEX IF EXISTS auth_user_name_order"),
    ]
