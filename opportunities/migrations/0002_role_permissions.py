from django.db import migrations

from crm.roles import SALES, SALES_MANAGERS, grant_permissions

SALES_PERMISSIONS = [
    "opportunities.view_opportunity",
    "opportunities.add_opportunity",
    "opportunities.change_opportunity",
    "django_fsm_log.view_statelog",
]


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        {
            SALES: SALES_PERMISSIONS,
            SALES_MANAGERS: [*SALES_PERMISSIONS, "opportunities.delete_opportunity"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("opportunities", "0001_initial"),
        ("crm", "0002_roles"),
        ("django_fsm_log", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
