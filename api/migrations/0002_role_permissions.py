from django.db import migrations

from crm.roles import SALES_MANAGERS, grant_permissions


def grant(apps, schema_editor):
    # Managers see every token in admin and revoke them (api.admin); "change" is revoking.
    grant_permissions(apps, {SALES_MANAGERS: ["api.view_apitoken", "api.change_apitoken"]})


class Migration(migrations.Migration):
    dependencies = [("api", "0001_initial"), ("crm", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
