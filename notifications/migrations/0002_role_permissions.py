from django.db import migrations

from crm.roles import SALES_MANAGERS, grant_permissions


def grant(apps, schema_editor):
    # Managers read the notification e-mails (their state and errors) and the preferences.
    grant_permissions(
        apps,
        {
            SALES_MANAGERS: [
                "notifications.view_notification",
                "notifications.view_preference",
            ]
        },
    )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial"), ("crm", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
