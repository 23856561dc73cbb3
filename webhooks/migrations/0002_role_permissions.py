from django.db import migrations

from crm.roles import SALES_MANAGERS, grant_permissions


def grant(apps, schema_editor):
    # Managers register endpoints, read the delivery log and send deliveries again.
    grant_permissions(
        apps,
        {
            SALES_MANAGERS: [
                "webhooks.add_endpoint",
                "webhooks.change_endpoint",
                "webhooks.delete_endpoint",
                "webhooks.view_endpoint",
                "webhooks.view_event",
                "webhooks.view_delivery",
                "webhooks.change_delivery",
            ]
        },
    )


class Migration(migrations.Migration):
    dependencies = [("webhooks", "0001_initial"), ("crm", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
