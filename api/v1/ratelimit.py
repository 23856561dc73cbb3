"""A token bucket per API token in Django's cache: ``CRM_API_BURST`` requests at once, then
``CRM_API_RATE`` a second on average.

The bucket is read and written back without a lock: two processes answering the same
token in the same instant may both take the last request, which lets a burst through
by a request or two; it never refuses a request that was within the rate.
"""

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from api.v1.problems import Problem


def take(token_id: int) -> None:
    """Take one request from the token's bucket, or raise a 429 problem saying when to
    come back."""
    rate, burst = settings.CRM_API_RATE, settings.CRM_API_BURST
    if rate <= 0:
        return  # no limit
    key = f"api-rate:{token_id}"
    now = time.time()  # wall time: every process sharing the cache reads the same clock
    tokens, stamp = cache.get(key) or (float(burst), now)
    tokens = min(float(burst), tokens + max(0.0, now - stamp) * rate)
    if tokens < 1:
        wait = math.ceil((1 - tokens) / rate)
        cache.set(key, (tokens, now), timeout=math.ceil(burst / rate) + 1)
        raise Problem(
            429,
            "rate-limited",
            _("Too many requests"),
            _("This token has made too many requests; wait %(seconds)d s and retry.")
            % {"seconds": wait},
            headers={"Retry-After": str(wait)},
        )
    cache.set(key, (tokens - 1, now), timeout=math.ceil(burst / rate) + 1)
