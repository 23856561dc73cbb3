"""Settings come from the environment and fail loudly on a bad value."""

import os
import secrets
import sqlite3
import string
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from crm.env import (
    PG_SESSION_SETTINGS,
    SQLITE_OPTIONS,
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_str,
)

REPO_ROOT = Path(__file__).resolve().parents[2]


# --- typed readers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [("1", True), ("true", True), (" Yes ", True), ("ON", True), ("0", False), ("off", False)],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, value):
    monkeypatch.setenv("CRM_TEST_FLAG", raw)

    assert env_bool("CRM_TEST_FLAG", not value) is value


def test_env_bool_falls_back_to_default_when_unset(monkeypatch):
    monkeypatch.delenv("CRM_TEST_FLAG", raising=False)

    assert env_bool("CRM_TEST_FLAG", True) is True


@pytest.mark.parametrize("raw", ["maybe", "2", "enabled", "tru"])
def test_env_bool_refuses_junk(monkeypatch, raw):
    monkeypatch.setenv("CRM_TEST_FLAG", raw)

    with pytest.raises(ImproperlyConfigured, match="CRM_TEST_FLAG"):
        env_bool("CRM_TEST_FLAG", False)


def test_env_int_reads_a_number_and_defaults_when_blank(monkeypatch):
    monkeypatch.setenv("CRM_TEST_INT", "42")
    assert env_int("CRM_TEST_INT", 7) == 42

    monkeypatch.setenv("CRM_TEST_INT", " ")
    assert env_int("CRM_TEST_INT", 7) == 7


@pytest.mark.parametrize("raw", ["ten", "1.5", "10,000", "0x10"])
def test_env_int_refuses_junk(monkeypatch, raw):
    monkeypatch.setenv("CRM_TEST_INT", raw)

    with pytest.raises(ImproperlyConfigured, match="CRM_TEST_INT"):
        env_int("CRM_TEST_INT", 0)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("CRM_TEST_LIST", " crm.example.com, ,www.example.com ")

    assert env_list("CRM_TEST_LIST", []) == ["crm.example.com", "www.example.com"]


def test_env_str_defaults_when_unset(monkeypatch):
    monkeypatch.delenv("CRM_TEST_STR", raising=False)

    assert env_str("CRM_TEST_STR", "fallback") == "fallback"


# --- DATABASE_URL -----------------------------------------------------------------------


def test_no_database_url_means_sqlite_in_the_checkout(tmp_path):
    config = database_from_url("", base_dir=tmp_path)

    assert config == {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": tmp_path / "db.sqlite3",
        "OPTIONS": SQLITE_OPTIONS,
    }


def test_sqlite_url_names_the_file(tmp_path):
    assert database_from_url("sqlite:////var/lib/crm/db.sqlite3", base_dir=tmp_path) == {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": "/var/lib/crm/db.sqlite3",
        "OPTIONS": SQLITE_OPTIONS,
    }


def test_sqlite_lets_the_web_server_and_the_worker_write_in_turn(tmp_path):
    options = database_from_url(f"sqlite:///{tmp_path}/db.sqlite3", base_dir=tmp_path)["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] >= 10
    with closing(sqlite3.connect(tmp_path / "db.sqlite3")) as connection:
        assert connection.execute(options["init_command"].rstrip(";")).fetchone() == ("wal",)


def test_postgres_url_gives_every_connection_detail(tmp_path):
    config = database_from_url(
        "postgres://crm:p%40ss%2Fword@db.internal:6432/crm_prod?sslmode=require",
        base_dir=tmp_path,
    )

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == (
        "crm_prod",
        "crm",
        "p@ss/word",
    )
    assert (config["HOST"], config["PORT"]) == ("db.internal", "6432")
    assert config["OPTIONS"] == {"sslmode": "require", "options": PG_SESSION_SETTINGS}


def test_postgres_url_with_unix_socket_in_host_parameter(tmp_path):
    config = database_from_url("postgresql://postgres@/crm?host=/tmp/crm-pg.abc", base_dir=tmp_path)

    assert config["HOST"] == "/tmp/crm-pg.abc"
    assert config["NAME"] == "crm"
    assert config["USER"] == "postgres"
    assert config["PORT"] == ""
    assert config["OPTIONS"] == {"options": PG_SESSION_SETTINGS}


def test_postgres_session_settings_can_be_replaced_in_the_url(tmp_path):
    config = database_from_url("postgres://crm@db/crm?options=-c%20jit%3Don", base_dir=tmp_path)

    assert config["OPTIONS"] == {"options": "-c jit=on"}


def test_the_app_runs_its_queries_without_jit_or_parallel_workers(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('jit'), current_setting('max_parallel_workers_per_gather')"
        )
        assert cursor.fetchone() == ("off", "0")


def test_unsupported_database_scheme_is_refused(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="mysql"):
        database_from_url("mysql://root@localhost/crm", base_dir=tmp_path)


# --- production start-up ----------------------------------------------------------------


def manage(*args, **env_overrides) -> subprocess.CompletedProcess:
    """Run manage.py in a fresh process with only the given deployment variables set.

    The environment is built from scratch: the test process's own (DATABASE_URL, or
    DJANGO_ALLOW_ASYNC_UNSAFE set for the browser tests) must not leak into the check.
    """
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR") if key in os.environ}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def random_secret_key() -> str:
    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(60))


def test_production_settings_pass_the_deploy_check_without_warnings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=random_secret_key(),
        ALLOWED_HOSTS="crm.example.com",
        DATABASE_URL="",
    )

    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DEBUG="0", ALLOWED_HOSTS="crm.example.com", DATABASE_URL="")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", DEBUG="0", SECRET_KEY=random_secret_key(), DATABASE_URL="")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "ALLOWED_HOSTS" in result.stderr


def test_the_cache_is_shared_by_every_process_of_the_installation(settings):
    """The API's rate per token and the team's figures must hold whichever server process
    answers: another process reads what this one cached."""
    cache.set("shared-probe", "seen by the other process", 60)
    other = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.core.cache import cache; print(cache.get('shared-probe'))",
        ],
        cwd=settings.BASE_DIR,
        env={**os.environ, "CRM_CACHE_DIR": settings.CACHES["default"]["LOCATION"]},
        capture_output=True,
        text=True,
        check=True,
    )
    assert other.stdout.strip().splitlines()[-1] == "seen by the other process"
