from datetime import timedelta

from django.core.management.base import BaseCommand

from webhooks.delivery import purge_events


class Command(BaseCommand):
    help = (
        "Delete webhook events (and their deliveries) older than --days, except those still "
        "being delivered. Safe to run from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="Keep this many days (30).")

    def handle(self, *args, days, **options):
        count = purge_events(older_than=timedelta(days=days))
        self.stdout.write(f"{count} webhook event(s) deleted.")
