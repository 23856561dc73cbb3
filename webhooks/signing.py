"""How a request is signed, and how a receiver checks it (the README shows the same recipe).

The signed bytes are the request's ``X-CRM-Timestamp`` header (Unix time in seconds, ASCII
digits), a full stop, and the raw request body, exactly as received::

    signed = timestamp + b"." + body
    X-CRM-Signature: sha256=<hex HMAC-SHA256 of signed, keyed with the endpoint's secret (UTF-8)>

Signing the time lets a receiver refuse an old request replayed (say, older than five
minutes); the event id in the body lets it ignore a delivery it has already handled (a
delivery may arrive more than once).
"""

import hashlib
import hmac
import time


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The ``X-CRM-Signature`` header's value for ``body`` sent at ``timestamp``."""
    signed = timestamp.encode("ascii") + b"." + body
    return "sha256=" + hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def verify(
    secret: str, *, timestamp: str, body: bytes, header: str, tolerance: int = 300, now=None
) -> bool:
    """A receiver's check: the signature matches and the timestamp is recent."""
    try:
        age = abs((now if now is not None else time.time()) - int(timestamp))
    except ValueError:
        return False
    return age <= tolerance and hmac.compare_digest(signature(secret, timestamp, body), header)
