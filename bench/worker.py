"""The background worker as the import benchmark runs it (``manage.py run_worker`` on this
process's database and media directory), and what it and PostgreSQL cost: the worker's
resident set and peak (``/proc/<pid>/status``) with its children's own pages, CPU time of the
worker, of its children and of the bench's PostgreSQL server (``/proc/<pid>/stat``). Linux only, like the rest of ``make bench``."""

import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection


class Worker:
    """``manage.py run_worker`` on this process's database and media directory, as a context
    manager (stopped when the block ends)."""

    def __init__(self, log: Path):
        self.log = log
        self.process = None
        self.memory_method = (
            "VmHWM growth (peak RSS, reset when the import started) + the checker process's "
            "private pages at their peak"
        )
        self.rss_before_kb = 0
        self.children_peak_kb = 0

    def __enter__(self):
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        }
        command = [sys.executable, "manage.py", "run_worker", "--no-reload", "--no-startup-delay"]
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                [*command, "--interval", "0.1"],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        return self

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    @property
    def pid(self) -> int:
        return self.process.pid

    def poll(self):
        return self.process.poll()

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-2000:]

    def _status_kb(self, key: str) -> int:
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
        return 0

    def rss_kb(self) -> int:
        try:
            return self._status_kb("VmRSS")
        except OSError:  # the worker has gone
            return 0

    def reset_peak(self) -> None:
        try:
            with open(f"/proc/{self.pid}/clear_refs", "w") as clear:
                clear.write("5")  # the peak resident set becomes the current one
        except OSError:
            self.memory_method = (
                "VmHWM growth (peak RSS since the worker started) + the checker process's "
                "private pages at their peak"
            )
        self.rss_before_kb = self.rss_kb()
        self.children_peak_kb = 0

    def peak_growth_mb(self) -> float:
        """The worker's peak growth, plus the most its children held of their own."""
        worker = max(self._status_kb("VmHWM") - self.rss_before_kb, 0)
        return (worker + self.children_peak_kb) / 1024

    def cpu_seconds(self) -> float:
        return _cpu_seconds(self.pid)

    def children_cpu_seconds(self) -> float:
        """CPU of the processes the worker forked and waited for (the import's checker
        process, imports.checker_process), once they ended."""
        fields = _stat_fields(self.pid)
        return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")

    def sample_children(self) -> None:
        """Note the memory of the worker's children of their own (pages they do not share with
        the worker: a forked child's resident set counts the worker's pages too)."""
        try:
            children = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()
        except OSError:
            return
        private = 0
        for child in children:
            try:
                with open(f"/proc/{child}/smaps_rollup") as rollup:
                    private += sum(
                        int(line.split()[1])
                        for line in rollup
                        if line.startswith(("Private_Clean:", "Private_Dirty:"))
                    )
            except OSError:  # ended while being read
                continue
        self.children_peak_kb = max(self.children_peak_kb, private)


class PostgresCpu:
    """CPU time of the bench's PostgreSQL server (its postmaster's children: backends,
    writers, autovacuum) from now on. ``sample()`` while the work runs: a backend that ends
    (the worker closes a connection older than ``CONN_MAX_AGE`` after its task) keeps the CPU
    it was last seen with."""

    def __init__(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
        self.postmaster = _parent(backend)
        self.before = self._per_process()
        self.latest = dict(self.before)

    def _per_process(self) -> dict[int, float]:
        times = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if _parent(int(entry.name)) == self.postmaster:
                        times[int(entry.name)] = _cpu_seconds(int(entry.name))
                except (OSError, IndexError, ValueError):  # gone while being read
                    continue
        return times

    def sample(self) -> None:
        self.latest.update(self._per_process())

    def seconds(self) -> float:
        self.sample()
        return sum(cpu - self.before.get(pid, 0.0) for pid, cpu in self.latest.items())


def _stat_fields(pid: int) -> list[str]:
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()


def _parent(pid: int) -> int:
    return int(_stat_fields(pid)[1])


def _cpu_seconds(pid: int) -> float:
    fields = _stat_fields(pid)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def database_url() -> str:
    """This process's database as a URL for the worker (under pytest: the test database)."""
    db = connection.settings_dict
    host = db["HOST"] or ""
    where = f"?host={quote(host)}" if host.startswith("/") else ""
    address = "" if where else f"{host or 'localhost'}:{db['PORT'] or 5432}"
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return f"postgres://{quote(db['USER'])}{password}@{address}/{db['NAME']}{where}"
