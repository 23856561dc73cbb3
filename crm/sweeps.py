"""Sweeps that the background worker runs now and then, registered by the apps: work of
their own to send again (webhook deliveries whose task was lost) and housekeeping.

``manage.py run_worker`` (crm/management/commands/run_worker.py) runs every registered sweep
when it starts and then every half ``CRM_JOB_STALE_SECONDS``, beside sending again the jobs a
stopped worker left. An app that keeps rows only for a while (the HTTP API's idempotency
keys) registers the function that deletes the expired ones in its ``AppConfig.ready()``, one
that keeps its own queue (webhooks) the one that sends again what was lost, so
``crm`` needs to know none of the apps above it (as with crm.panels).
"""

import logging
from collections.abc import Callable

logger = logging.getLogger("crm.background")

_registry: dict[str, Callable[[], int]] = {}


def register_sweep(name: str, sweep: Callable[[], int]) -> None:
    """Run ``sweep()`` (returning how many rows it sent again or removed) with the worker's
    sweeps."""
    _registry[name] = sweep  # ready() can run twice in tests: the name keeps it once


def run_sweeps() -> dict[str, int]:
    """Every registered sweep, each on its own: one that fails is logged and the others
    still run. ``{name: rows sent again or removed}``."""
    done = {}
    for name, sweep in _registry.items():
        try:
            done[name] = sweep()
        except Exception:  # the worker must go on sweeping and running jobs
            logger.exception("Sweep %s failed", name)
    return done
