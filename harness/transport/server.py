"""WebSocket server side of OCPP-J: where the harness (or the reference CSMS) accepts stations.

Implements the connection rules of OCPP-J 1.6 §3 and OCPP 2.0.1/2.1 Part 4 §3-§5: the station
identity is the last URL path segment; the subprotocol is negotiated from ``Sec-WebSocket-Protocol``
(what the station offered is recorded for TC_B_58-style checks); HTTP Basic authentication
(security profile 1/2, username = station identity, A00.FR.2xx) is checked before the upgrade. Fault
hooks: refuse every connection for N seconds (a CSMS that is down). A message over ``max_size``
(issue 8 item 9) closes its connection with 1009 and is named as such (:attr:`Link.too_big`).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import ssl
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from urllib.parse import unquote, urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.http11 import Request, Response
from websockets.protocol import CONNECTING
from websockets.typing import Subprotocol

from harness.transport.link import Link
from harness.transport.tls import TlsInfo, tls_info

#: Checks Basic credentials: (identity, username, password) -> accepted.
CredentialCheck = Callable[[str, str, str], bool]
#: Decides a handshake's admission in place of the Basic auth check (a CSMS that keeps a security
#: profile per station, A05.FR.07): (identity, the TLS settled, Basic (username, password) or
#: None) -> None to admit, or the HTTP status and note of the refusal.
Admission = Callable[[str, TlsInfo | None, tuple[str, str] | None], tuple[int, str] | None]
LinkHandler = Callable[[Link], Awaitable[None]]
#: Picks the subprotocol from the offered ones (None: none), replacing the server's preference
#: order; for servers that must negotiate differently (e.g. a seeded fault in a reference CSMS).
SubprotocolSelector = Callable[[Sequence[str]], str | None]

#: The message size limit when none is given (websockets' own default: 1 MiB).
DEFAULT_MAX_SIZE = 1024 * 1024

VERSION_OF_SUBPROTOCOL = {"ocpp1.6": "1.6", "ocpp2.0.1": "2.0.1", "ocpp2.1": "2.1"}


@dataclass(frozen=True, slots=True)
class Handshake:
    """What a connecting station asked for, and how the server answered (evidence)."""

    identity: str
    path: str
    offered: tuple[str, ...]
    username: str | None
    status: int
    note: str = ""
    #: The TLS the connection runs over ("TLSv1.3 TLS_AES_256_GCM_SHA384, peer certificate
    #: CN=... O=..."), empty without TLS.
    tls: str = ""


def identity_from_path(path: str) -> str:
    """The station identity: the last non-empty segment of the URL path, percent-decoded."""
    segments = [s for s in urlsplit(path).path.split("/") if s]
    return unquote(segments[-1]) if segments else ""


def parse_basic_auth(headers: Headers) -> tuple[str, str] | None:
    """(username, password) from an ``Authorization: Basic`` header, or None."""
    value = headers.get("Authorization")
    if not value or not value.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(value[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, sep, password = decoded.partition(":")
    return (user, password) if sep else None


def offered_subprotocols(headers: Headers) -> tuple[str, ...]:
    offered: list[str] = []
    for value in headers.get_all("Sec-WebSocket-Protocol"):
        offered.extend(p.strip() for p in value.split(",") if p.strip())
    return tuple(offered)


class OcppServer:
    """Accepts OCPP-J connections and hands each one, as a :class:`Link`, to ``on_link``."""

    def __init__(
        self,
        host: str,
        port: int,
        subprotocols: Sequence[str],
        on_link: LinkHandler,
        *,
        credentials: CredentialCheck | None = None,
        ssl_context: ssl.SSLContext | None = None,
        select_subprotocol: SubprotocolSelector | None = None,
        max_size: int | None = DEFAULT_MAX_SIZE,
        check_client_cn: bool = True,
        admit: Admission | None = None,
    ) -> None:
        self.host = host
        self.requested_port = port
        self.subprotocols = list(subprotocols)
        self.on_link = on_link
        self.credentials = credentials
        self.admit = admit
        self.ssl_context = ssl_context
        #: Security profile 3: the server asks for client certificates and checks their CN.
        self._client_certificates = (
            check_client_cn
            and ssl_context is not None
            and ssl_context.verify_mode == ssl.CERT_REQUIRED
        )
        self.select_subprotocol = select_subprotocol
        #: The largest message accepted, in bytes; a bigger one closes the connection with 1009
        #: and :attr:`Link.too_big` says what came (the harness CSMS: ``limits.max_frame_mib``).
        self.max_size = max_size
        self.handshakes: list[Handshake] = []
        #: Told about every upgrade request, accepted or refused (the harness traces it).
        self.on_handshake: Callable[[Handshake], None] | None = None
        self._refuse_until = 0.0
        self._server: Server | None = None
        #: Every accepted connection until its socket closes (handshake included).
        self._opening: set[ServerConnection] = set()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("server not started")
        sockets = list(self._server.sockets)
        return int(sockets[0].getsockname()[1])

    @property
    def url(self) -> str:
        scheme = "wss" if self.ssl_context else "ws"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.port}"

    def require_client_certificates(
        self, roots: Sequence[Path], credentials: CredentialCheck | None = None
    ) -> Callable[[], None]:
        """From the next handshake on, security profile 3 on a TLS listener of profile 2 (TC_A_19:
        the test system restarts its server with the station's new security profile): a client
        certificate whose path ends in one of ``roots`` is required (A00.FR.403) and its CN must
        be the identity (A00.FR.405); Basic auth is no longer asked for unless ``credentials``.
        Returns what puts the listener back as it was."""
        context = self.ssl_context
        if context is None:
            raise RuntimeError("security profile 3 needs a TLS listener")
        saved = (context.verify_mode, self.credentials, self._client_certificates)
        for root in roots:
            context.load_verify_locations(cafile=str(root))
        context.verify_mode = ssl.CERT_REQUIRED
        self.credentials, self._client_certificates = credentials, True

        def restore() -> None:
            context.verify_mode, self.credentials, self._client_certificates = saved

        return restore

    def _selector(
        self,
    ) -> Callable[[ServerConnection, Sequence[Subprotocol]], Subprotocol | None] | None:
        hook = self.select_subprotocol
        if hook is None:
            return None

        def select(_: ServerConnection, offered: Sequence[Subprotocol]) -> Subprotocol | None:
            chosen = hook(list(offered))
            return Subprotocol(chosen) if chosen else None

        return select

    async def start(self) -> None:
        opening = self._opening

        class Tracked(ServerConnection):
            """Remembered from the TCP accept on, so :meth:`stop` can drop it mid-handshake."""

            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                super().connection_made(transport)
                opening.add(self)

            def connection_lost(self, exc: Exception | None) -> None:
                opening.discard(self)
                super().connection_lost(exc)

        self._server = await serve(
            self._handle,
            self.host,
            self.requested_port,
            subprotocols=self.subprotocols,  # type: ignore[arg-type]
            select_subprotocol=self._selector(),
            process_request=self._check_request,
            ssl=self.ssl_context,
            compression=None,
            open_timeout=10,
            close_timeout=2,
            ping_interval=None,
            max_size=self.max_size,
            create_connection=Tracked,
        )

    async def stop(self) -> None:
        """Close the listener and every connection; bounded, and no socket is left behind."""
        server, self._server = self._server, None
        if server is None:
            return
        server.close(close_connections=True)
        # A client that never finishes its HTTP upgrade (a hostile or hung SUT) would keep its
        # socket until the opening handshake times out, after the loop is gone: drop it now.
        self._abort(opening_only=True)
        with contextlib.suppress(Exception):
            async with asyncio.timeout(3):
                await server.wait_closed()
        # Whatever did not close in time, and a connection accepted from the backlog as the
        # listener closed (its transport is made a turn later): abort them, and let the loop
        # run the turns in which an aborted transport closes its socket.
        for _ in range(3):
            self._abort(opening_only=False)
            await asyncio.sleep(0.02)

    def _abort(self, *, opening_only: bool) -> None:
        for connection in list(self._opening):
            if not opening_only or connection.protocol.state is CONNECTING:
                connection.transport.abort()

    def refuse_for(self, seconds: float) -> None:
        """Refuse every connection attempt (HTTP 503) for ``seconds`` from now."""
        self._refuse_until = time.monotonic() + seconds

    def accept_again(self) -> None:
        self._refuse_until = 0.0

    def _check_request(self, connection: ServerConnection, request: Request) -> Response | None:
        identity = identity_from_path(request.path)
        offered = offered_subprotocols(request.headers)
        auth = parse_basic_auth(request.headers)
        user = auth[0] if auth else None
        obj = connection.transport.get_extra_info("ssl_object")
        tls = tls_info(obj)
        shown = tls.describe() if tls is not None else ""
        if obj is not None and obj.context is not self.ssl_context:
            shown += ", with the alternate server certificate"

        def refuse(status: HTTPStatus, note: str) -> Response:
            self._record(Handshake(identity, request.path, offered, user, status, note, shown))
            return connection.respond(status, note + "\n")

        if time.monotonic() < self._refuse_until:
            return refuse(HTTPStatus.SERVICE_UNAVAILABLE, "connections refused (fault injection)")
        if not identity:
            return refuse(HTTPStatus.NOT_FOUND, "no station identity in the URL path")
        if self._client_certificates and tls is not None and tls.peer_cn != identity:
            # security profile 3, A00.FR.405/407: the certificate must be this station's
            return refuse(
                HTTPStatus.FORBIDDEN,
                f"the client certificate's CN {tls.peer_cn!r} is not the station identity "
                f"{identity!r} (A00.FR.405)",
            )
        if self.admit is not None:
            refusal = self.admit(identity, tls, auth)
            if refusal is not None:
                return refuse(HTTPStatus(refusal[0]), refusal[1])
        elif self.credentials is not None:
            if auth is None:
                return refuse(HTTPStatus.UNAUTHORIZED, "HTTP Basic authentication required")
            if not self.credentials(identity, auth[0], auth[1]):
                return refuse(HTTPStatus.UNAUTHORIZED, "invalid credentials")
        if not any(p in self.subprotocols for p in offered):
            return refuse(
                HTTPStatus.BAD_REQUEST,
                f"no supported subprotocol offered (offered {list(offered)}, "
                f"supported {self.subprotocols})",
            )
        self._record(Handshake(identity, request.path, offered, user, 101, "", shown))
        return None

    def _record(self, handshake: Handshake) -> None:
        self.handshakes.append(handshake)
        if self.on_handshake is not None:
            self.on_handshake(handshake)

    async def _handle(self, ws: ServerConnection) -> None:
        selected = ws.subprotocol or ""
        # A custom selector may pick something we do not speak: the link still speaks ours.
        own = selected if selected in self.subprotocols else self.subprotocols[0]
        version = VERSION_OF_SUBPROTOCOL[own]
        offered = offered_subprotocols(ws.request.headers) if ws.request else ()
        identity = identity_from_path(ws.request.path) if ws.request else ""
        link = Link(ws, version, identity=identity, offered=offered)
        await self.on_link(link)
