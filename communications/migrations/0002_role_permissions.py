from django.db import migrations

from crm.roles import SALES, SALES_MANAGERS, grant_permissions

SALES_PERMISSIONS = [
    "communications.view_communication",
    "communications.add_communication",
    "communications.change_communication",
]


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        {
            # A communication is part of the customer's history: only managers delete one.
            SALES: SALES_PERMISSIONS,
            SALES_MANAGERS: [*SALES_PERMISSIONS, "communications.delete_communication"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("communications", "0001_initial"), ("crm", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
