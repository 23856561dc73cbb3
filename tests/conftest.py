from pathlib import Path

import pytest
from django.apps import apps as live_apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.special import RunPython
from django.test import Client

from tests.factories import CustomerFactory, ManagerFactory, SalespersonFactory


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Users are created in almost every test; the real hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def replay_data_migrations():
    """Run our data migrations again (roles and their permissions), in migration order.

    A transactional test empties every table when it ends, data-migration rows included, and
    pytest-django's serialized_rollback cannot restore them once Playwright has run (the
    test then sees another connection object, without the serialized copy). The data
    migrations are idempotent, so running them again is the simplest way back.
    """
    loader = MigrationLoader(connection)
    # Every app of this project (a new app's data migration is replayed without a list to
    # keep up to date), none of Django's or the libraries'.
    ours = {
        config.label
        for config in live_apps.get_app_configs()
        if Path(config.path).is_relative_to(settings.BASE_DIR)
        and ".venv" not in Path(config.path).parts
    }
    plan = []
    for leaf in loader.graph.leaf_nodes():
        for key in loader.graph.forwards_plan(leaf):
            if key not in plan:
                plan.append(key)
    for key in plan:
        if key[0] not in ours:
            continue
        for operation in loader.graph.nodes[key].operations:
            if isinstance(operation, RunPython):
                operation.code(live_apps, None)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded and generated files go to the test's own directory, never the checkout's."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts without the team's figures another test left in the cache."""
    cache.clear()


@pytest.fixture(autouse=True)
def data_migrations_after_flush(request):
    """Transactional tests start from the rows the data migrations create, like all others."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        replay_data_migrations()


@pytest.fixture
def salesperson(db):
    return SalespersonFactory(first_name="Alice", last_name="Wang")


@pytest.fixture
def teammate(db):
    return SalespersonFactory(first_name="Bob", last_name="Li")


@pytest.fixture
def manager(db):
    return ManagerFactory(first_name="Mei", last_name="Chen")


@pytest.fixture
def customer(salesperson):
    """A customer owned by ``salesperson``."""
    return CustomerFactory(owner=salesperson)


@pytest.fixture
def foreign_customer(teammate):
    """A customer owned by ``teammate``: ``salesperson`` must not see it."""
    return CustomerFactory(owner=teammate)


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def client_for(db):
    """Log any user in: ``client_for(user)`` returns a client with a session for them."""
    return _client_for


@pytest.fixture
def sales_client(salesperson):
    return _client_for(salesperson)


@pytest.fixture
def teammate_client(teammate):
    return _client_for(teammate)


@pytest.fixture
def manager_client(manager):
    return _client_for(manager)
