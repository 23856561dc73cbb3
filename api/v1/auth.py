"""Who calls the HTTP API: a personal token in ``Authorization: Bearer <token>``, nothing else.

Session cookies are ignored (so no cross-site request can act as a signed-in user and no
CSRF token is needed). A valid token sets ``request.user`` to its user, so every queryset
and service sees exactly that user's visibility and permissions; then its rate is
checked, and a read-only token is refused everything but reading.
"""

from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from api.tokens import token_for_key
from api.v1 import ratelimit
from api.v1.problems import Problem

READ_METHODS = {"GET", "HEAD", "OPTIONS"}


class BearerToken(HttpBearer):
    openapi_description = "A personal API token (profile menu → API tokens)."

    def authenticate(self, request, token):
        api_token = token_for_key(token)
        if api_token is None:
            return None  # ninja answers 401
        ratelimit.take(api_token.pk)
        if api_token.read_only and request.method not in READ_METHODS:
            raise Problem(
                403,
                "read-only-token",
                _("Read-only token"),
                _("This token is read-only: it can only read (GET)."),
            )
        request.user = api_token.user
        return api_token
