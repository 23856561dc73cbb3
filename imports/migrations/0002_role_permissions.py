from django.db import migrations

from crm.roles import SALES_MANAGERS, grant_permissions


def grant(apps, schema_editor):
    # Managers look through every import in admin; everyone sees their own on the pages.
    grant_permissions(apps, {SALES_MANAGERS: ["imports.view_importrun"]})


class Migration(migrations.Migration):
    dependencies = [("imports", "0001_initial"), ("crm", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
