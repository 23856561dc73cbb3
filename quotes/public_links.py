"""The customer's link to one revision of a quote: ``/q/<token>/``, no login.

A token is two halves, 65 url-safe characters in all:

- the *key* (22 characters, 128 random bits), stored on the quote when it is sent: it finds
  the quote, and nothing about it (id, number, customer) can be read from it or guessed;
- the *signature* (43 characters): an HMAC-SHA256 under ``SECRET_KEY`` of the key, the
  quote's id, its revision and its valid-until date. It is never stored, so a copy of the
  database alone opens no quote, and a token made for other terms does not verify.

The salesperson's page can show the link again at any time (it is computed, not kept), each
revision has a key of its own, and a token that does not verify is simply not found: the
same 404 as any other unknown address, so tokens cannot be enumerated.
"""

import base64
import secrets

from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from quotes.models import Quote

KEY_LENGTH = 22  # secrets.token_urlsafe(16)
SIGNATURE_LENGTH = 43  # 32 bytes of HMAC-SHA256, url-safe base64 without padding
TOKEN_LENGTH = KEY_LENGTH + SIGNATURE_LENGTH
SALT = "quotes.public_links"


def new_key() -> str:
    return secrets.token_urlsafe(16)


def _signature(quote: Quote) -> str:
    terms = f"{quote.public_key}|{quote.pk}|{quote.revision}|{quote.valid_until.isoformat()}"
    digest = salted_hmac(SALT, terms, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def token_for(quote: Quote) -> str | None:
    """The token of the quote's link, or None when it has none (not sent yet)."""
    if not quote.public_key:
        return None
    return quote.public_key + _signature(quote)


def path_for(quote: Quote) -> str | None:
    token = token_for(quote)
    return reverse("public_quotes:show", kwargs={"token": token}) if token else None


def find(token: str, queryset=None) -> Quote | None:
    """The quote this token was made for, or None (wrong length, unknown key, or a
    signature that does not match the quote's present terms)."""
    if len(token) != TOKEN_LENGTH:
        return None
    key, signature = token[:KEY_LENGTH], token[KEY_LENGTH:]
    quote = (queryset if queryset is not None else Quote.objects).filter(public_key=key).first()
    if quote is None or not constant_time_compare(signature, _signature(quote)):
        return None
    return quote
