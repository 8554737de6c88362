"""The reference CSMS: an in-process OCPP 1.6J / 2.0.1 / 2.1 backend on the harness transport.

The known-good SUT the CSMS cases must pass against; each named fault changes one behaviour.

* one listener on ``host:port``; stations connect to ``{url}/{identity}`` (OCPP-J 1.6 §3,
  2.0.1 Part 4 §3); the identity is the last path segment and a new connection with the same
  identity replaces the old one;
* only this version's subprotocol is spoken: when a station offers several (some unsupported) the
  supported one is selected and echoed, and a connection offering none is refused (TC_B_58_CSMS,
  1.6 TC_088_CSMS);
* with ``passwords``, HTTP Basic authentication is required (security profiles 1/2): the username
  must be the identity (A00.FR.204) and the password that station's, otherwise HTTP 401
  (TC_A_01/02/03_CSMS);
* before a station's BootNotification is Accepted, any other CALL from it is answered with
  CALLERROR SecurityError (B01.FR.10, B02.FR.09, B03.FR.07; TC_B_30_CSMS), except a message the
  CSMS itself triggered. OCPP 1.6 states no such rule for the Central System; the reference
  applies the same one there, ``SecurityError`` being a 1.6 error code as well (OCPP-J 1.6 §4.2.3);
* unknown actions get NotImplemented and malformed frames their RPC error from the OCPP-J core;
  known actions the CSMS does not handle get NotSupported. A message the WebSocket layer cannot
  take (invalid UTF-8, over 1 MiB) fails that connection (1007, 1009) and the station may connect
  again; the ``csms-rpc-*`` faults of :mod:`~harness.reference.rpc_faults` break these rules.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import itertools
import ssl
from collections.abc import Coroutine, Mapping, Sequence
from typing import Any

from harness.config.model import Tokens
from harness.ocppj.errors import ErrorKind, error_code
from harness.ocppj.frames import Call
from harness.ocppj.session import LocalProtocolError, Received
from harness.reference import fuzz_faults, rpc_faults, variant_rpc
from harness.reference.csms import (
    block_c,
    handlers_v2,
    handlers_v16,
)
from harness.reference.csms.firmware16 import Firmware16Commands
from harness.reference.csms.handlers_common import Handler, Refusal
from harness.reference.csms.records import (
    BOOT_STATUSES,
    CsmsState,
    StationRecord,
    TransactionId,
    TransactionRecord,
)
from harness.reference.csms.sec16 import Sec16Commands, server_tls
from harness.reference.csms.upgrade import SecurityLevels, ask_client_certificates
from harness.reference.csms.v16_commands import Core16Commands
from harness.reference.faults import select_faults
from harness.reference.variants import NONE, Seeded
from harness.transport.link import Link, LinkClosed
from harness.transport.server import (
    VERSION_OF_SUBPROTOCOL,
    CredentialCheck,
    Handshake,
    OcppServer,
    SubprotocolSelector,
)

SUBPROTOCOL_OF_VERSION = {version: name for name, version in VERSION_OF_SUBPROTOCOL.items()}
#: Upper bound on an operator command, from sending the CALL to the station's answer.
COMMAND_TIMEOUT_S = 5.0
#: Upper bound on closing connections and the listener in :meth:`ReferenceCsms.stop`.
STOP_TIMEOUT_S = 3.0


def _same_secret(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def _first_offered(offered: Sequence[str]) -> str | None:
    """The ``csms-subprotocol-first-offered`` fault: whatever the station listed first."""
    return offered[0] if offered else None


class ReferenceCsms(Firmware16Commands, Sec16Commands, Core16Commands):
    """An in-process CSMS for one OCPP version (see the module docstring for its behaviour)."""

    def __init__(
        self,
        *,
        version: str,
        host: str = "127.0.0.1",
        port: int = 0,
        faults: frozenset[str] = frozenset(),
        variants: Seeded = NONE,
        valid_tokens: Sequence[str] = ("VALID001",),
        tokens: Tokens | None = None,
        passwords: Mapping[str, str] | None = None,
        ssl_context: ssl.SSLContext | None = None,
        boot_status: str = "Accepted",
        heartbeat_interval: int = 60,
    ) -> None:
        if version not in SUBPROTOCOL_OF_VERSION:
            raise ValueError(f"unsupported OCPP version {version!r}")
        self.version = version
        self.faults = select_faults(sorted(faults), "reference-csms", version)
        #: Legal variants (``harness.reference.variants``) this CSMS shows.
        self.variants = variants
        self.passwords = dict(passwords) if passwords is not None else None
        self.state = CsmsState(
            version,
            self.faults,
            tuple(valid_tokens),
            heartbeat_interval=heartbeat_interval,
            variants=variants.names,
            token_table=block_c.token_table(tokens) if tokens is not None else {},
        )
        self.boot_status = boot_status
        self._handlers: dict[str, Handler] = (
            handlers_v16.HANDLERS if version == "1.6" else handlers_v2.HANDLERS
        )
        selector: SubprotocolSelector | None = None
        if "csms-subprotocol-first-offered" in self.faults:
            selector = _first_offered
        server_tls(self.faults, ssl_context)  # the 1.6 security extension's TLS faults
        check_cn = "csms-ignores-client-cn" not in self.faults
        base = (2 if passwords else 3) if ssl_context else (1 if passwords else 0)
        #: A05: each station's security profile (an upgrade raises it for good).
        self.security = SecurityLevels(
            base, self._credential_check(), self.faults, check_cn=check_cn
        )
        if base == 2:
            ask_client_certificates(ssl_context)  # for a station upgraded to profile 3
        self._server = OcppServer(
            host,
            port,
            [SUBPROTOCOL_OF_VERSION[version]],
            self._on_link,
            ssl_context=ssl_context,
            select_subprotocol=selector,
            check_client_cn=check_cn,
            admit=self.security.admit,
        )
        self._links: dict[str, Link] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._command_timeout_s = rpc_faults.call_timeout(self.faults, COMMAND_TIMEOUT_S)
        self._report_ids = itertools.count(1)  # B07 requestId
        self._crashed = False
        self._tasks: set[asyncio.Task[Any]] = set()

    # -- lifecycle ---------------------------------------------------------------------------
    async def start(self) -> None:
        await self._server.start()

    async def stop(self) -> None:
        """Close every station connection and the listener; bounded, never hangs."""
        links = list(self._links.values())
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(STOP_TIMEOUT_S):
                await asyncio.gather(
                    *(link.close(1001, "CSMS shutting down") for link in links),
                    return_exceptions=True,
                )
        for link in links:  # whatever did not close in time is dropped
            if not link.closed.is_set():
                with contextlib.suppress(Exception):
                    link.ws.transport.abort()
        await self._server.stop()
        tasks = [task for task in self._tasks if not task.done()]
        for task in tasks:
            task.cancel()
        if tasks:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(STOP_TIMEOUT_S):
                    await asyncio.gather(*tasks, return_exceptions=True)
        self._links.clear()

    @property
    def identities(self) -> list[str]:
        """The identities of the stations connected now."""
        return sorted(self._links)

    @property
    def url(self) -> str:
        """Base URL stations append ``/<identity>`` to (``/`` ends it under endpoint-trailing-slash)."""
        slash = "/" if "endpoint-trailing-slash" in self.variants else ""
        return f"{self._server.url}/ocpp{slash}"

    # -- policy and inspection ---------------------------------------------------------------
    @property
    def boot_status(self) -> str:
        """Policy for the next BootNotification: Accepted, Pending or Rejected."""
        return self.state.boot_status

    @boot_status.setter
    def boot_status(self, status: str) -> None:
        if status not in BOOT_STATUSES:
            raise ValueError(f"boot status must be one of {BOOT_STATUSES}, got {status!r}")
        self.state.boot_status = status

    @property
    def heartbeat_interval(self) -> int:
        return self.state.heartbeat_interval

    @heartbeat_interval.setter
    def heartbeat_interval(self, seconds: int) -> None:
        self.state.heartbeat_interval = seconds

    @property
    def stations(self) -> dict[str, StationRecord]:
        """identity -> what the CSMS knows about that station."""
        return self.state.stations

    @property
    def transactions(self) -> dict[TransactionId, TransactionRecord]:
        """Transaction id (int in 1.6, the station's string in 2.x) -> transaction record."""
        return self.state.transactions

    @property
    def internal_errors(self) -> list[str]:
        """Responses the reference failed to build (its own bugs; empty in a healthy run)."""
        return self.state.internal_errors

    @property
    def handshakes(self) -> list[Handshake]:
        """Every connection attempt and how it was answered."""
        return self._server.handshakes

    def is_connected(self, identity: str) -> bool:
        link = self._links.get(identity)
        return link is not None and not link.closed.is_set()

    # -- connections -------------------------------------------------------------------------
    def _credential_check(self) -> CredentialCheck | None:
        if "csms-auth-rejects-all" in self.faults:
            return lambda identity, username, password: False
        if self.passwords is None:
            return None
        return self._check_credentials

    def _check_credentials(self, identity: str, username: str, password: str) -> bool:
        """A00.FR.202-204: Basic credentials whose username is the identity, with its password."""
        passwords = self.passwords or {}
        if "csms-auth-ignores-username" in self.faults:
            return any(_same_secret(password, secret) for secret in passwords.values())
        if username != identity or identity not in passwords:
            return False
        if "csms-auth-accepts-any-password" in self.faults:
            return True
        return _same_secret(password, passwords[identity])

    async def _on_link(self, link: Link) -> None:
        # A seeded crash stops everything, even a connection that came in while the one that
        # caused it was still closing.
        if self._crashed or any(
            rpc_faults.crashed(old, self.faults) for old in self._links.values()
        ):
            self._crash()
            link.abort()
            return
        if not variant_rpc.path_accepted(link, self.variants):
            await link.close(1008, "connect to /ocpp/<identity>")
            return
        identity = link.identity
        record = self.state.station(identity)
        old = self._links.get(identity)
        self._links[identity] = link
        record.connected = True
        record.subprotocol = link.subprotocol
        record.connections += 1
        link.on_receive = self._on_receive
        rpc_faults.install(link, self.faults)
        variant_rpc.install(link, self.variants)
        fuzz_faults.install(link, self.faults, csms=True)
        if old is not None and not old.closed.is_set():
            self._spawn(old.close(1000, "replaced by a new connection"))
        try:
            await link.run()
        finally:
            if self._links.get(identity) is link:
                del self._links[identity]
                record.connected = False
            if rpc_faults.crashed(link, self.faults):
                self._crash()

    def _crash(self) -> None:
        """The seeded crash (``csms-rpc-crashes-on-*``): no connection gets in any more."""
        self._crashed = True
        self._server.refuse_for(24 * 3600)

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- requests from stations ----------------------------------------------------------------
    def _on_receive(self, link: Link, event: Received) -> None:
        if isinstance(event.frame, Call) and event.reply is None:
            if fuzz_faults.trips(self.faults, event.frame, csms=True):
                self._spawn(self._internal_error(link, event.frame, "string too long (fault)"))
                return
            self._spawn(self._answer(link, event.frame))

    async def _answer(self, link: Link, call: Call) -> None:
        record = self.state.station(link.identity)
        await variant_rpc.answer_delay(self.variants)
        with contextlib.suppress(LinkClosed):
            try:
                payload = self._dispatch(record, call)
            except Refusal as refusal:
                code = error_code(refusal.kind, self.version)
                await link.reply_error(call, code, refusal.description)
                return
            except (KeyError, TypeError, ValueError) as exc:  # a handler bug, not the station's
                await self._internal_error(link, call, f"{call.action} handler failed: {exc!r}")
                return
            try:
                await link.reply(call, payload)
            except LocalProtocolError as exc:
                await self._internal_error(link, call, str(exc))
                return
            accepted = call.action == "BootNotification" and payload.get("status") == "Accepted"
            if accepted and "two-calls-back-to-back" in self.variants:
                self._spawn(self._back_to_back(link))

    async def _back_to_back(self, link: Link) -> None:
        """Legal variant ``two-calls-back-to-back`` (OCPP-J 1.6 §4.1.1 SHOULD NOT): two
        GetConfiguration requests sent together, the second before the first is answered."""
        calls = [
            link.call(
                "GetConfiguration", {"key": [key]}, timeout=COMMAND_TIMEOUT_S, concurrent=True
            )
            for key in ("HeartbeatInterval", "MeterValueSampleInterval")
        ]
        await asyncio.gather(*calls, return_exceptions=True)

    async def _internal_error(self, link: Link, call: Call, problem: str) -> None:
        self.state.internal_errors.append(problem)
        code = error_code(ErrorKind.INTERNAL_ERROR, self.version)
        await link.reply_error(call, code, "the reference CSMS failed to build its response")

    def _dispatch(self, record: StationRecord, call: Call) -> dict[str, Any]:
        action = call.action
        if action != "BootNotification" and not record.accepted:
            if action not in record.triggered:
                raise Refusal(
                    ErrorKind.SECURITY_ERROR,
                    f"{action} before the station's BootNotification was accepted",
                )
            record.triggered.discard(action)
        handler = self._handlers.get(action)
        if handler is None:
            raise Refusal(ErrorKind.NOT_SUPPORTED, f"the reference CSMS does not support {action}")
        return handler(self.state, record, call.payload)
