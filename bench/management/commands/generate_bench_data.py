from django.core.management.base import BaseCommand, CommandError

from bench.generate import DEFAULT_SEED, BenchDataError, customers_for, generate, planned_counts


class Command(BaseCommand):
    help = (
        "Fill the PostgreSQL database with synthetic sales data (scale 1.0 = 1,000,000 "
        "customers, 1,000,000 opportunities, 3,000,000 communications, 200,000 quotes, "
        "100,000 orders). Run again with a larger scale to add the rest."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="Default 1.0 (one million).")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument(
            "--no-vacuum", action="store_true", help="ANALYZE only, no VACUUM afterwards."
        )

    def handle(self, *args, scale, seed, no_vacuum, **options):
        if scale <= 0:
            raise CommandError("--scale must be above zero")
        planned = planned_counts(customers_for(scale))
        self.stdout.write("Generating " + ", ".join(f"{n:,} {name}" for name, n in planned.items()))
        try:
            report = generate(scale, seed=seed, vacuum=not no_vacuum, log=self.stdout.write)
        except BenchDataError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(report.summary()))
        for phase, seconds in report.phases.items():
            self.stdout.write(f"  {phase}: {seconds:.1f} s")
        self.stdout.write(
            "Logins: bench-sales-01 … bench-sales-50, bench-manager-1 … 3 (demo password)"
        )
