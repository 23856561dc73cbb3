"""``manage.py import_records --kind customers --user alice FILE [--mapping m.json] [--dry-run]``:
the import of the pages, for scripts. It runs here, not on the worker, and prints the counts."""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from crm.workflow import refusal_message
from imports.fields import KINDS
from imports.models import OnDuplicate
from imports.services import import_now


class Command(BaseCommand):
    help = "Import customers (with contacts), opportunities or communications from CSV or .xlsx."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--kind", required=True, choices=list(KINDS))
        parser.add_argument("--user", required=True, help="Username of who imports.")
        parser.add_argument(
            "--mapping",
            type=Path,
            help='JSON object {"column": "field" or null}; without it the columns are guessed.',
        )
        parser.add_argument(
            "--on-duplicate", choices=list(OnDuplicate.values), default=OnDuplicate.SKIP
        )
        parser.add_argument("--dry-run", action="store_true", help="Report, store nothing.")

    def handle(self, *args, file, kind, user, mapping, on_duplicate, dry_run, **options):
        by = get_user_model().objects.filter(username=user, is_active=True).first()
        if by is None:
            raise CommandError(f"No active user {user!r}.")
        if not file.is_file():
            raise CommandError(f"No file {file}.")
        try:
            chosen = json.loads(mapping.read_text(encoding="utf-8")) if mapping else None
        except (OSError, ValueError) as error:
            raise CommandError(f"The mapping file cannot be read: {error}") from None
        try:
            with file.open("rb") as opened:
                run = import_now(
                    by=by,
                    kind=kind,
                    file=File(opened, name=file.name),
                    mapping=chosen,
                    on_duplicate=on_duplicate,
                    dry_run=dry_run,
                )
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(refusal_message(error)) from None
        prefix = "Dry run: would have " if dry_run else ""
        self.stdout.write(
            f"{prefix}{run.total_rows} rows: {run.created_count} created, "
            f"{run.updated_count} updated, {run.skipped_count} skipped, "
            f"{run.failed_count} failed."
        )
        if not dry_run and run.result_file:
            self.stdout.write(f"Result file: {run.result_file.path}")
