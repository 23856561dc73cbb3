from django.core.management.base import BaseCommand, CommandError

from demo.loading import DEMO_PASSWORD, DEMO_USERS, load_demo


class Command(BaseCommand):
    help = "Load demo users and customers. Safe to run again: only what is missing is added."

    def add_arguments(self, parser):
        parser.add_argument(
            "--size", type=int, default=60, help="Number of demo customers (default 60)."
        )

    def handle(self, *args, size, **options):
        if size < 0:
            raise CommandError("--size must be zero or more")
        result = load_demo(size)
        self.stdout.write(f"Demo customers: {result['created']} added, {result['total']} wanted.")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for spec in DEMO_USERS:
            self.stdout.write(f"  {spec.username:<8} {spec.role}")
