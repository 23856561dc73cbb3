"""Where a webhook may be sent: server-side request forgery is refused.

An endpoint's URL is http(s), and every address its host resolves to must be a public one:
private (10/8, 172.16/12, 192.168/16, fc00::/7), loopback, link-local (169.254/16 with the
clouds' metadata service, fe80::/10), multicast, reserved and unspecified addresses are
refused, IPv4 and IPv6 alike (an IPv4 address mapped into IPv6 is judged as IPv4), unless
``CRM_WEBHOOKS_ALLOW_PRIVATE`` is on. The check runs when an endpoint is saved and again at
every delivery, and the delivery connects to the address it checked: a DNS answer that
changes in between (DNS rebinding) cannot send it elsewhere.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class Target:
    """A URL split for sending: the name for the Host header and TLS, the checked address."""

    scheme: str
    host: str
    port: int
    path: str
    address: str


def is_public(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def resolve(host: str, port: int) -> list[Address]:
    """Every address ``host`` resolves to (a literal address is its own answer)."""
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise ValidationError(
            _("The host “%(host)s” could not be found.") % {"host": host}, code="unknown_host"
        ) from None
    found = []
    for *_rest, sockaddr in answers:
        address = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
        if address not in found:
            found.append(address)
    return found


def check_url(url: str) -> Target:
    """The target of ``url`` with the address to connect to, or ValidationError saying why
    the URL may not be used."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(_("Enter an http:// or https:// address."), code="scheme")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise ValidationError(_("The port of this address is not valid."), code="port") from None
    addresses = resolve(parts.hostname, port)
    if not settings.CRM_WEBHOOKS_ALLOW_PRIVATE:
        refused = [address for address in addresses if not is_public(address)]
        if refused:
            raise ValidationError(
                _(
                    "“%(host)s” is a private, loopback, link-local or otherwise internal "
                    "address (%(address)s); webhooks are only sent to public addresses."
                )
                % {"host": parts.hostname, "address": refused[0]},
                code="private_address",
            )
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(
        scheme=parts.scheme,
        host=parts.hostname,
        port=port,
        path=path,
        address=str(addresses[0]),
    )
