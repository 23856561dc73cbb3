from django.core.management.base import BaseCommand

from quotes.services import expire_quotes


class Command(BaseCommand):
    help = "Expire approved or sent quotes past their valid-until date. Safe to run repeatedly."

    def handle(self, *args, **options):
        count = expire_quotes()
        self.stdout.write(f"{count} quote(s) expired.")
