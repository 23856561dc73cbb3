from django.db import migrations

from crm.roles import SALES_MANAGERS, grant_permissions


def grant(apps, schema_editor):
    # Managers read the quotes sent by e-mail: their state, attempts and errors.
    grant_permissions(apps, {SALES_MANAGERS: ["emailing.view_quoteemail"]})


class Migration(migrations.Migration):
    dependencies = [("emailing", "0001_initial"), ("crm", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
