"""A real background worker (``manage.py run_worker``) for the tests that prove enqueue ->
run -> result end to end: a separate process on the test database, like in production.

Tests using it need committed data: mark them ``django_db(transaction=True)``.
"""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

#: Short enough for a test to see a killed worker's job sent again.
STALE_SECONDS = 2
RETRY_SECONDS = 1


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    host = db["HOST"]
    where = f"?host={quote(host)}" if host.startswith("/") else ""
    address = "" if where else f"{host}:{db['PORT'] or 5432}"
    return f"postgres://{quote(db['USER'])}:{quote(db['PASSWORD'])}@{address}/{db['NAME']}{where}"


@contextmanager
def running_worker(log: Path, **settings_env):
    """Start a worker on the test database; stop it (if still running) when the block ends.
    ``settings_env`` adds environment variables (settings) for the worker."""
    env = {
        **settings_env,
        **os.environ,
        "DATABASE_URL": database_url(),
        "CRM_JOB_STALE_SECONDS": str(STALE_SECONDS),
        "CRM_JOB_RETRY_SECONDS": str(RETRY_SECONDS),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    command = [sys.executable, "manage.py", "run_worker", "--no-reload", "--no-startup-delay"]
    with log.open("ab") as output:
        process = subprocess.Popen(
            [*command, "--interval", "0.2"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for(condition, *, timeout: float = 60, what: str = "the worker") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out waiting for {what}")
        time.sleep(0.1)
