"""The harness as CSMS: listens for the charging station under test (DESIGN §3, §4).

The listener and the station's connection live for the whole pytest session (a real station backs
off when it reconnects); a reboot or a dropped link just replaces :attr:`link` when the station
comes back, and expectations keep waiting across it. Network faults for the offline and
reconnection cases: :meth:`drop`, :meth:`refuse_for`, :meth:`stop_reading`.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import time
from typing import Any

from harness.ocppj.frames import Call
from harness.ocppj.session import Received
from harness.peers.base import Peer
from harness.transport.link import Link
from harness.transport.server import CredentialCheck, OcppServer
from harness.verdicts import SutFailure

SUBPROTOCOL = {"1.6": "ocpp1.6", "2.0.1": "ocpp2.0.1", "2.1": "ocpp2.1"}


class CsmsPeer(Peer):
    """Plays the CSMS (central system) for a charging station under test."""

    plays = "CSMS"
    table = "csms"

    def __init__(
        self,
        version: str,
        *,
        host: str,
        port: int,
        response_s: float,
        action_s: float,
        credentials: CredentialCheck | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        super().__init__(version, response_s=response_s, action_s=action_s)
        self.server = OcppServer(
            host,
            port,
            [SUBPROTOCOL[version]],
            self._on_link,
            credentials=credentials,
            ssl_context=ssl_context,
        )
        self.connected = asyncio.Event()
        self.connections = 0
        #: The last BootNotification payload the station sent (its identity, for the report).
        self.last_boot: dict[str, Any] = {}

    async def start(self) -> None:
        await self.server.start()

    async def stop(self) -> None:
        if self.link is not None:
            await self.link.close()
        await self.server.stop()

    @property
    def url(self) -> str:
        """Where the station under test must connect (without its identity)."""
        return self.server.url

    async def _on_link(self, link: Link) -> None:
        old = self.link
        self._attach(link)
        self.connections += 1
        self.trace.event(
            f"station {link.identity!r} connected (subprotocol {link.subprotocol}, "
            f"offered {list(link.offered_subprotocols)})"
        )
        self.connected.set()
        if old is not None and not old.closed.is_set():
            await old.close(1000, "replaced by a new connection")
        await link.run()
        if self.link is link:
            self.connected.clear()

    async def wait_connected(self, within_s: float | None = None, *, req: str = "") -> Link:
        """Wait until the station is connected; FAIL with evidence if it does not come."""
        timeout = self.action_s if within_s is None else within_s
        deadline = time.monotonic() + timeout
        while self.link is None or self.link.closed.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise SutFailure(
                    req or "station connects to the CSMS",
                    f"a WebSocket connection from the station within {timeout:g} s",
                    "no connection",
                    self._frames(),
                )
            if self.connected.is_set():  # the link died before its handler noticed
                self.connected.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(remaining):
                    await self.connected.wait()
        return self.link

    def _on_receive(self, link: Link, event: Received) -> None:
        if isinstance(event.frame, Call) and event.frame.action == "BootNotification" and event.ok:
            self.last_boot = event.frame.payload
        super()._on_receive(link, event)

    async def _link_for_call(self) -> Link:
        return await self.wait_connected(self.response_s)

    # -- network faults ---------------------------------------------------------------------
    def drop(self) -> None:
        """Drop the station's connection with no close frame (network loss)."""
        if self.link is not None and not self.link.closed.is_set():
            self.link.abort()

    def refuse_for(self, seconds: float) -> None:
        """Refuse the station's reconnection attempts for ``seconds``."""
        self.trace.event(f"harness refuses connections for {seconds:g} s")
        self.server.refuse_for(seconds)

    def stop_reading(self) -> None:
        if self.link is not None:
            self.link.stop_reading()

    def delay_frames(self, seconds: float) -> None:
        """Delay every frame the harness sends from now on (slow network / slow CSMS)."""
        if self.link is not None:
            self.link.send_delay_s = seconds
