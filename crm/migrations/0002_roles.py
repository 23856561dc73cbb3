from django.db import migrations

from crm.roles import SALES, SALES_MANAGERS, grant_permissions


def create_roles(apps, schema_editor):
    grant_permissions(
        apps,
        {
            SALES: [],
            # Managers read the export audit trail and pick users in admin's owner fields.
            SALES_MANAGERS: ["crm.view_exportlog", "auth.view_user"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
