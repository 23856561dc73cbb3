"""``manage.py run_worker``: the background worker of the database queue, which also sends
again the jobs a killed worker left behind (crm.background.resume_stale) and runs the apps'
sweeps (crm.sweeps: lost webhook deliveries, expired Idempotency-Keys).

It is django-tasks-db's ``db_worker`` with that sweep added: at start, then every half
``CRM_JOB_STALE_SECONDS``. With another Tasks backend, run that backend's worker and
``manage.py run_worker --sweep-only`` beside it (it then only sweeps).
"""

import threading
import time

from django.conf import settings
from django.db import close_old_connections
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from crm.background import resume_stale
from crm.sweeps import run_sweeps


def sweep_forever(interval: float) -> None:
    while True:
        time.sleep(interval)
        close_old_connections()
        resume_stale()
        run_sweeps()


class Command(DatabaseWorker):
    help = "Run background jobs, and send again those a stopped worker left unfinished."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--sweep-only",
            action="store_true",
            help="Only send again jobs left by a stopped worker (beside another backend's worker).",
        )

    def handle(self, *args, sweep_only=False, **options):
        resumed = resume_stale()
        if resumed:
            self.stdout.write(f"Sent again {resumed} job(s) a stopped worker left unfinished.")
        run_sweeps()
        interval = max(1, settings.CRM_JOB_STALE_SECONDS / 2)
        if sweep_only:
            sweep_forever(interval)
        threading.Thread(target=sweep_forever, args=(interval,), daemon=True).start()
        super().handle(*args, **options)
