from django.db import migrations

from crm.roles import SALES, SALES_MANAGERS, grant_permissions

SALES_PERMISSIONS = [
    "quotes.view_quote",
    "quotes.add_quote",
    "quotes.change_quote",
    "quotes.view_quoteline",
    "quotes.add_quoteline",
    "quotes.change_quoteline",
    "quotes.delete_quoteline",
]


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        {
            SALES: SALES_PERMISSIONS,
            SALES_MANAGERS: [
                *SALES_PERMISSIONS,
                "quotes.approve_quote",
                "quotes.view_approvalrule",
                "quotes.add_approvalrule",
                "quotes.change_approvalrule",
                "quotes.delete_approvalrule",
            ],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("quotes", "0001_initial"), ("crm", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
