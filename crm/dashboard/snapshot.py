"""The team's figures on a manager's dashboard, computed at most once a few minutes.

A manager's reports aggregate every record: at a million deals that is most of a second of
database time per page view, for figures that hardly move from one minute to the next. So
they are kept in Django's cache for ``CRM_TEAM_FIGURES_SECONDS`` and shared by every manager
(managers see the same records); the page says when they were computed and offers to
compute them again. A salesperson's figures cover only their own records, are cheap, and
are always live.
"""

import hashlib
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

KEY = "crm:team-figures:{report}:{arguments}"


def team_figures(report, *arguments, refresh: bool = False) -> tuple[datetime, object]:
    """``report(*arguments)`` and when it was computed: from the cache unless ``refresh``
    is asked for or the cached one has expired."""
    key = KEY.format(report=report.__qualname__, arguments=":".join(map(_key, arguments)))
    if not refresh:
        cached = cache.get(key)
        if cached is not None:
            return cached
    computed = (timezone.now(), report(*arguments))
    cache.set(key, computed, settings.CRM_TEAM_FIGURES_SECONDS)
    return computed


def _key(argument) -> str:
    # A period is named by its dates; the manager who asks does not change team figures;
    # anything else (the list of salespeople) by a digest of its value.
    start = getattr(argument, "start", None)
    if start is not None:
        return f"{start.isoformat()}-{argument.end.isoformat()}"
    if hasattr(argument, "is_authenticated"):
        return "team"
    return hashlib.blake2b(repr(argument).encode(), digest_size=12).hexdigest()
