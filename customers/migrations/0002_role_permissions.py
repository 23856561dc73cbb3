from django.db import migrations

from crm.roles import SALES, SALES_MANAGERS, grant_permissions

SALES_PERMISSIONS = [
    "customers.view_customer",
    "customers.add_customer",
    "customers.change_customer",
    "customers.view_contact",
    "customers.add_contact",
    "customers.change_contact",
    "customers.delete_contact",
    "customers.view_tag",
]


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        {
            # Salespeople archive customers instead of deleting them.
            SALES: SALES_PERMISSIONS,
            SALES_MANAGERS: [
                *SALES_PERMISSIONS,
                "customers.delete_customer",
                "customers.add_tag",
                "customers.change_tag",
                "customers.delete_tag",
            ],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial"), ("crm", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
