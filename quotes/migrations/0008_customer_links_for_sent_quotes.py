"""Quotes sent before customer links existed get their link key, so that their page can show
the link (quotes.public_links). Only sent quotes: the others are never answered online."""

import secrets

from django.db import migrations


def give_keys(apps, schema_editor):
    Quote = apps.get_model("quotes", "Quote")
    sent = Quote.objects.filter(status="sent", public_key__isnull=True)
    for pk in sent.values_list("pk", flat=True).iterator(chunk_size=2000):
        Quote.objects.filter(pk=pk).update(public_key=secrets.token_urlsafe(16))


class Migration(migrations.Migration):
    dependencies = [("quotes", "0007_revisions_and_customer_link")]

    operations = [migrations.RunPython(give_keys, migrations.RunPython.noop, elidable=True)]
