"""Typed readers for settings that come from the environment.

Each reader fails loudly on a value it cannot understand: a typo in a deployment's
environment should stop the process at start-up, not surface later as odd behaviour.
"""

import os
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


#: Every page runs a few short, indexed queries: PostgreSQL's JIT compiler and parallel
#: workers only add their start-up time to them (measured with make bench: 5-20 ms a query
#: at a million rows). ``?options=...`` in DATABASE_URL replaces these.
PG_SESSION_SETTINGS = "-c jit=off -c max_parallel_workers_per_gather=0"


#: The web server and the background worker write to one SQLite file at once (make run):
#: readers do not wait for writers (WAL), a transaction takes the write lock when it starts
#: instead of failing when it upgrades, and a writer waits up to 20 s for the other.
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL;",
}


def database_from_url(url: str, *, base_dir) -> dict:
    """Translate a DATABASE_URL into a Django DATABASES entry.

    Supports ``sqlite:///path`` and ``postgres://user:pass@host:port/name``; a unix socket
    directory goes in ``?host=/path`` because a path cannot be written as a URL host.
    """
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": base_dir / "db.sqlite3",
            "OPTIONS": SQLITE_OPTIONS,
        }
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": unquote(parts.path[1:]) or ":memory:",
            "OPTIONS": SQLITE_OPTIONS,
        }
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(f"DATABASE_URL scheme {parts.scheme!r} is not supported")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    query.setdefault("options", PG_SESSION_SETTINGS)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": query.pop("host", None) or unquote(parts.hostname or ""),
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": query,
    }
