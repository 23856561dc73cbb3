"""A token bucket per API token (crm.ratelimit): ``CRM_API_BURST`` requests at once, then
``CRM_API_RATE`` a second on average."""

from django.conf import settings
from django.utils.translation import gettext as _

from api.v1.problems import Problem
from crm import ratelimit


def take(token_id: int) -> None:
    """Take one request from the token's bucket, or raise a 429 problem saying when to
    come back."""
    wait = ratelimit.take(
        f"api:{token_id}", rate=settings.CRM_API_RATE, burst=settings.CRM_API_BURST
    )
    if wait:
        raise Problem(
            429,
            "rate-limited",
            _("Too many requests"),
            _("This token has made too many requests; wait %(seconds)d s and retry.")
            % {"seconds": wait},
            headers={"Retry-After": str(wait)},
        )
