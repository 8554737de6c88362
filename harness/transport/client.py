"""WebSocket client side of OCPP-J: how a station (the harness's or the reference one) connects.

OCPP-J 1.6 §3 / OCPP 2.0.1 Part 4 §3: the URL ends with the station identity, the station offers
the subprotocol(s) of the OCPP versions it speaks, and with security profile 1/2 it sends HTTP
Basic credentials (username = identity). Every connection attempt is bounded by a timeout.
"""

from __future__ import annotations

import base64
import ssl
from collections.abc import Sequence
from urllib.parse import quote, urlsplit

from websockets.asyncio.client import connect
from websockets.exceptions import InvalidHandshake, InvalidStatus
from websockets.typing import Subprotocol

from harness.transport.link import Link
from harness.transport.server import VERSION_OF_SUBPROTOCOL


class ConnectFailed(Exception):
    """The WebSocket connection could not be opened; ``status`` is the HTTP status if any;
    ``timed_out`` when nothing answered within the connect timeout (unreachable)."""

    def __init__(
        self,
        message: str,
        status: int | None = None,
        *,
        timed_out: bool = False,
        answer: str | None = None,
        tls_problem: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.timed_out = timed_out
        #: The HTTP answer to the upgrade request as received (status line, body tail), if any.
        self.answer = answer
        #: Why the TLS handshake failed, as the security event a station reports it
        #: (``InvalidCsmsCertificate``: A00.FR.310/413; ``InvalidTLSVersion``: A00.FR.316/419).
        self.tls_problem = tls_problem


def tls_problem(exc: BaseException) -> str | None:
    """The security event type of a failed TLS handshake, None when it was not about TLS."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return "InvalidCsmsCertificate"
    if isinstance(exc, ssl.SSLError):
        text = f"{exc.reason or ''} {exc}".upper()
        if "VERSION" in text or "UNSUPPORTED_PROTOCOL" in text:
            return "InvalidTLSVersion"
        if "CIPHER" in text or "HANDSHAKE_FAILURE" in text:
            return "InvalidTLSCipherSuite"
    return None


#: Body characters of a refused upgrade kept in the trace (a CSMS often says why there).
ANSWER_BODY_CHARS = 300


def request_line(url: str) -> str:
    """The HTTP request line of the WebSocket upgrade to ``url`` (RFC 6455 §4.1)."""
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return f"GET {target} HTTP/1.1"


def status_line(status: int, reason: str) -> str:
    return f"HTTP/1.1 {status} {reason}".rstrip()


#: What to check when the CSMS refuses the upgrade with this HTTP status.
_HINTS = {
    400: "check the subprotocol offered and the URL",
    401: "check the station identity and the Basic auth password (sut.password_env)",
    403: "check the station identity and the Basic auth password (sut.password_env)",
    404: "check the URL path (sut.url): does the CSMS expect another path or a trailing slash?",
}


#: Where the identity goes in a URL template (``sut.url: wss://csms/ocpp/{identity}/``).
IDENTITY_PLACEHOLDER = "{identity}"


def station_url(base: str, identity: str) -> str:
    """The URL a station connects to: ``base`` with the percent-encoded identity put where
    ``{identity}`` stands (anything after it, a trailing slash included, is kept), or appended
    as the last path segment when ``base`` has no placeholder (OCPP-J 1.6 §3.1.1, Part 4
    §3.1.1: the identity is the last path segment unless the CSMS says otherwise)."""
    encoded = quote(identity, safe="")
    if IDENTITY_PLACEHOLDER in base:
        return base.replace(IDENTITY_PLACEHOLDER, encoded)
    return base.rstrip("/") + "/" + encoded


def basic_auth_header(username: str, password: str) -> str:
    token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


async def open_link(
    url: str,
    *,
    identity: str,
    subprotocols: Sequence[str],
    basic_auth: tuple[str, str] | None = None,
    ssl_context: ssl.SSLContext | None = None,
    timeout: float = 10.0,
    max_size: int | None = 1024 * 1024,
) -> Link:
    """Connect to ``url`` (which already ends with the identity) and return an unstarted Link."""
    headers = {}
    if basic_auth is not None:
        headers["Authorization"] = basic_auth_header(*basic_auth)
    try:
        ws = await connect(
            url,
            subprotocols=[Subprotocol(p) for p in subprotocols],
            additional_headers=headers,
            ssl=ssl_context,
            open_timeout=timeout,
            close_timeout=2,
            ping_interval=None,
            compression=None,
            max_size=max_size,
        )
    except InvalidStatus as exc:
        response = exc.response
        status = response.status_code
        hint = _HINTS.get(status)
        body = bytes(response.body or b"").decode("utf-8", "replace").strip()
        answer = status_line(status, response.reason_phrase)
        if body:
            cut = "..." if len(body) > ANSWER_BODY_CHARS else ""
            answer += f" body: {body[:ANSWER_BODY_CHARS]!r}{cut}"
        raise ConnectFailed(
            f"connection to {url} refused: HTTP {status}" + (f": {hint}" if hint else ""),
            status,
            answer=answer,
        ) from None
    except TimeoutError:
        raise ConnectFailed(
            f"could not connect to {url}: no WebSocket handshake within {timeout:g} s "
            "(timeouts.connect_s)",
            timed_out=True,
        ) from None
    except ConnectionRefusedError:
        raise ConnectFailed(
            f"could not connect to {url}: connection refused (nothing listens there: is the "
            "CSMS running, and is sut.url right?)"
        ) from None
    except (OSError, InvalidHandshake, ValueError) as exc:  # ValueError: e.g. ssl with ws://
        raise ConnectFailed(
            f"could not connect to {url}: {exc or type(exc).__name__}", tls_problem=tls_problem(exc)
        ) from None
    version = VERSION_OF_SUBPROTOCOL.get(ws.subprotocol or "")
    if version is None:
        await ws.close()
        raise ConnectFailed(
            f"{url} selected no OCPP subprotocol (offered {list(subprotocols)}, "
            f"got {ws.subprotocol!r})",
            101,  # upgraded, but to no OCPP subprotocol
        )
    return Link(ws, version, identity=identity, offered=tuple(subprotocols))
