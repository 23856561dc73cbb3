"""``manage.py purge_idempotency_keys``: delete the Idempotency-Keys older than
``CRM_API_IDEMPOTENCY_HOURS``. The background worker does this on its own (crm.sweeps); the
command is for a cron job beside another Tasks backend, or by hand."""

from django.core.management.base import BaseCommand

from api.v1.idempotency import purge_expired


class Command(BaseCommand):
    help = "Delete the HTTP API's expired Idempotency-Keys."

    def handle(self, *args, **options):
        self.stdout.write(f"Deleted {purge_expired()} expired idempotency key(s).")
