"""Personal API tokens: making one, finding the token of a key, revoking.

A key reads ``crm_<prefix>_<secret>``: the prefix (8 hex characters) names the token in
lists, the secret (256 random bits) makes it unguessable. Only the SHA-256 of the whole key
is stored, so a copy of the database gives no working key.
"""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiToken
from crm.roles import in_managers, knows_manager

#: ``last_used_at`` is written at most this often per token, not once per request.
LAST_USED_PRECISION = timedelta(minutes=1)
KEY_START = "crm_"


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def issue_token(*, user, name: str, read_only: bool = False) -> tuple[ApiToken, str]:
    """A new token of ``user`` and its key, which is nowhere else: show it once."""
    prefix = secrets.token_hex(4)
    key = f"{KEY_START}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, key_hash=key_hash(key), read_only=read_only
    )
    return token, key


def token_for_key(key: str) -> ApiToken | None:
    """The token of ``key`` when it is valid: known, not revoked, of an active user. Notes
    its use (at most once a minute)."""
    if not key.startswith(KEY_START) or len(key) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=key_hash(key), revoked_at__isnull=True, user__is_active=True)
        .annotate(user_in_managers=in_managers("user"))
        .first()
    )
    if token is None:
        return None
    # Every request asks the role (what the user may see): answered here, in the same query.
    knows_manager(token.user, token.user_in_managers)
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def revoke_token(*, token_id: int, by) -> ApiToken:
    """Revoke one of ``by``'s own tokens (``ApiToken.DoesNotExist`` for anyone else's);
    revoking twice keeps the first time."""
    token = ApiToken.objects.get(pk=token_id, user=by)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def revoke_tokens(*, token_ids, by) -> int:
    """Revoke anyone's tokens (a salesperson who leaves, a key that leaked): sales managers
    and superusers only (``api.change_apitoken``). Those already revoked keep their time.
    Returns how many were revoked now."""
    if not by.has_perm("api.change_apitoken"):
        raise PermissionDenied(_("Only a sales manager can revoke other people's tokens."))
    return ApiToken.objects.filter(pk__in=list(token_ids), revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
