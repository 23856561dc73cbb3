"""A token bucket in Django's cache, shared by every process that shares the cache: ``burst``
requests at once, then ``rate`` a second on average, per key (an API token, an IP address).

The bucket is read and written back without a lock: two processes answering the same key in
the same instant may both take the last request, which lets a burst through by a request or
two; it never refuses a request that was within the rate.
"""

import math
import time

from django.core.cache import cache


def take(key: str, *, rate: float, burst: int) -> int:
    """Take one request from ``key``'s bucket: 0 when it was there, else the whole seconds to
    wait before the next one will be. A ``rate`` of 0 or less means no limit."""
    if rate <= 0:
        return 0
    key = f"rate:{key}"
    now = time.time()  # wall time: every process sharing the cache reads the same clock
    tokens, stamp = cache.get(key) or (float(burst), now)
    tokens = min(float(burst), tokens + max(0.0, now - stamp) * rate)
    timeout = math.ceil(burst / rate) + 1
    if tokens < 1:
        cache.set(key, (tokens, now), timeout=timeout)
        return max(1, math.ceil((1 - tokens) / rate))
    cache.set(key, (tokens - 1, now), timeout=timeout)
    return 0
