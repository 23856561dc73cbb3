from django.db import migrations

from crm.roles import SALES, SALES_MANAGERS, grant_permissions

SALES_PERMISSIONS = [
    "orders.view_order",
    "orders.add_order",
    "orders.change_order",
    "orders.view_orderline",
]


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        {
            SALES: SALES_PERMISSIONS,
            SALES_MANAGERS: [*SALES_PERMISSIONS, "orders.approve_order"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_initial"), ("crm", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
