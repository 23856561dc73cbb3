"""One HTTP request to an endpoint, on the address that was checked (webhooks.addresses).

Plain ``http.client``: it never follows a redirect (a 3xx comes back as it is, and counts as
a failure), and the connection goes to the address the check resolved, not to a second DNS
answer; TLS still verifies the certificate against the URL's host name.
"""

import http.client
import socket
import ssl
from dataclasses import dataclass

from django.utils.translation import gettext as _

from webhooks.addresses import Target

#: How much of a response body is kept to show with an error.
EXCERPT_BYTES = 300
USER_AGENT = "SalesCRM-Webhooks/1"


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status: int | None = None
    error: str = ""


def _pinned(connection: http.client.HTTPConnection, address: str):
    """Make ``connection`` open its socket to ``address`` (its host stays the URL's)."""

    family = socket.AF_INET6 if ":" in address else socket.AF_INET

    def create_connection(where, timeout=None, source_address=None):
        # No socket.create_connection: it would look the (literal) address up again.
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(timeout)
            sock.connect((address, where[1]))
        except BaseException:
            sock.close()
            raise
        return sock

    connection._create_connection = create_connection
    return connection


def connection_to(target: Target, timeout: float) -> http.client.HTTPConnection:
    if target.scheme == "https":
        connection = http.client.HTTPSConnection(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(target.host, target.port, timeout=timeout)
    return _pinned(connection, target.address)


def post(target: Target, body: bytes, headers: dict[str, str], *, timeout: float) -> Outcome:
    """POST ``body``; a 2xx answer is success, anything else a failure with its reason."""
    connection = connection_to(target, timeout)
    try:
        connection.request(
            "POST", target.path, body=body, headers={"User-Agent": USER_AGENT, **headers}
        )
        response = connection.getresponse()
        excerpt = response.read(EXCERPT_BYTES).decode("utf-8", "replace").strip()
    except TimeoutError:
        return Outcome(
            False, error=_("No answer within %(seconds)s seconds.") % {"seconds": timeout}
        )
    except ssl.SSLError as error:
        return Outcome(False, error=_("TLS failed: %(reason)s") % {"reason": error.reason or error})
    except OSError as error:
        return Outcome(
            False, error=_("Could not connect: %(reason)s") % {"reason": error.strerror or error}
        )
    except http.client.HTTPException as error:
        return Outcome(
            False,
            error=_("The answer was not valid HTTP (%(kind)s).") % {"kind": type(error).__name__},
        )
    finally:
        connection.close()
    status = response.status
    if 200 <= status < 300:
        return Outcome(True, status=status)
    if 300 <= status < 400:
        return Outcome(
            False,
            status=status,
            error=_("Redirected to %(location)s; webhooks do not follow redirects.")
            % {"location": response.getheader("Location") or "?"},
        )
    return Outcome(
        False,
        status=status,
        error=_("The endpoint answered %(status)s: %(excerpt)s")
        % {"status": status, "excerpt": excerpt or response.reason},
    )
