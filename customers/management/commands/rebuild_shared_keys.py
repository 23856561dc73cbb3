from django.core.management.base import BaseCommand

from customers.shared_keys import rebuild


class Command(BaseCommand):
    help = (
        "Work out afresh which duplicate keys customers share (the duplicates page's list), "
        "after customers were written straight to the database. Safe to run repeatedly."
    )

    def handle(self, *args, **options):
        count = rebuild()
        self.stdout.write(f"{count} shared key(s).")
