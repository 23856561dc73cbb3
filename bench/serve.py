"""Requests per second of one page served by gunicorn on this machine.

gunicorn runs the app as in production (``DEBUG=0``, WhiteNoise, sync workers) on a loopback
port; ``wrk`` (C, installed by ``make bench`` with apt) keeps a bounded number of connections
busy for a fixed time, carrying the session cookie of a logged-in user
(or, for the HTTP API, a token). Without ``wrk``, a
small Python client with one thread per connection does the same (it competes with the server
for the two cores, so it reports less). The result says which client ran.
"""

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """``with Gunicorn(workers=4) as server:`` serves the app on ``server.port``."""

    def __init__(self, *, workers: int, timeout: int = 120):
        self.workers = workers
        self.timeout = timeout
        self.port = free_port()
        self.process = None

    def __enter__(self):
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [
                str(gunicorn),
                "crm.wsgi:application",
                f"--bind=127.0.0.1:{self.port}",
                f"--workers={self.workers}",
                f"--timeout={self.timeout}",
                "--log-level=warning",
            ],
            cwd=BASE_DIR,
            env=os.environ.copy(),
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("gunicorn exited at start-up") from None
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("gunicorn did not start listening within 30 s")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def session_cookie(client) -> str:
    """The request header (``Name: value``) that carries ``client``'s session."""
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    return f"Cookie: {settings.SESSION_COOKIE_NAME}={cookie}"


def requests_per_second(
    path: str, header: str, *, workers: int = 4, connections: int = 8, seconds: int = 10
) -> dict:
    """Requests a second on ``path`` sending ``header`` (``Name: value``: the session cookie
    of a page, or an API token's ``Authorization``)."""
    with Gunicorn(workers=workers) as server:
        url = f"http://127.0.0.1:{server.port}{path}"
        # A few requests first: workers import the app lazily and open their connections.
        statuses = {_get(server.port, path, header) for _ in range(workers * 2)}
        if statuses != {200}:
            raise RuntimeError(f"{path} answered {sorted(statuses)} through gunicorn, not 200")
        if shutil.which("wrk"):
            result = _wrk(url, header, connections, seconds)
        else:
            result = _python_client(server.port, path, header, connections, seconds)
    return {
        "path": path,
        "workers": workers,
        "connections": connections,
        "seconds": seconds,
        **result,
    }


def _get(port: int, path: str, header: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        name, value = header.split(": ", 1)
        conn.request("GET", path, headers={name: value})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def _wrk(url: str, header: str, connections: int, seconds: int) -> dict:
    threads = min(2, connections)
    output = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "--timeout=30s",
            "-H",
            header,
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {"client": f"wrk ({threads} threads)", **parse_wrk(output)}


def parse_wrk(output: str) -> dict:
    """Requests/s, latency percentiles and non-2xx/3xx answers from wrk's report."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    requests = re.search(r"(\d+) requests in", output)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors:.*", output)
    latency = {
        p: _ms(value, unit)
        for p, value, unit in re.findall(r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    }
    return {
        "requests_per_second": float(rps.group(1)) if rps else 0.0,
        "requests": int(requests.group(1)) if requests else 0,
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group() if socket_errors else "",
        "latency_ms": latency,
    }


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _python_client(port, path, header, connections, seconds) -> dict:
    stop = time.monotonic() + seconds
    latencies, failures, lock = [], [0], threading.Lock()

    def worker():
        while time.monotonic() < stop:
            began = time.perf_counter()
            status = _get(port, path, header)
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                latencies.append(elapsed)
                failures[0] += status >= 400

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    ordered = sorted(latencies)

    def pick(p):
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else 0.0

    return {
        "client": f"Python threads ({connections})",
        "requests_per_second": len(latencies) / elapsed,
        "requests": len(latencies),
        "non_2xx": failures[0],
        "socket_errors": "",
        "latency_ms": {"50": pick(50), "90": pick(90), "99": pick(99)},
    }
