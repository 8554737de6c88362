"""Network faults for the offline and retry cases (issue 12 item 1), played by the harness CSMS.

Each fault works on the CSMS peer's transport hooks (:class:`~harness.peers.csms.CsmsPeer`: the
listening server and the station's current :class:`~harness.transport.link.Link`), is bounded in
time (never longer than :data:`MAX_FAULT_S`), writes what it does into the case's trace, and is
undone when the ``async with NetworkFaults(csms)`` block ends — a failing case included — so the
next case finds a normal link:

* :meth:`~NetworkFaults.drop`: the TCP connection closes without a WebSocket close frame;
* :meth:`~NetworkFaults.refuse_for`: reconnection attempts are refused (HTTP 503) for N s;
* :meth:`~NetworkFaults.half_open`: the harness stops reading; the station's frames (pings,
  CALLs) go unanswered until the link is dropped after N s;
* :meth:`~NetworkFaults.delay_after_reconnect`: on the next connection every frame the harness
  sends is held back by N s (a slow path right after the link came back), for a bounded time;
* :meth:`~NetworkFaults.flap`: down and up again ``times`` times.

A network namespace (veth pair) is not needed for these: a socket fakes each of them.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from harness.peers.csms import CsmsPeer
    from harness.transport.link import Link

#: The longest any single fault lasts (seconds): a wrong argument cannot hang a session.
MAX_FAULT_S = 120.0
#: How long :meth:`NetworkFaults.drop` waits to see the dropped connection closed.
CLOSE_S = 2.0


def _bounded(seconds: float) -> float:
    return max(0.0, min(float(seconds), MAX_FAULT_S))


class NetworkFaults:
    """The network faults of one case; ``async with`` undoes them at its end."""

    def __init__(self, csms: CsmsPeer) -> None:
        self.csms = csms
        self._tasks: set[asyncio.Task[None]] = set()
        self._delayed: list[Link] = []
        #: What this case did to the network, in order (also in the trace).
        self.log: list[str] = []

    async def __aenter__(self) -> NetworkFaults:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.restore()

    def _note(self, text: str) -> None:
        self.log.append(text)
        self.csms.trace.event(f"network fault: {text}")

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- the faults ---------------------------------------------------------------------------
    async def drop(self) -> None:
        """Close the station's connection without a close frame (a cable pulled); returns once
        the harness has seen it closed (bounded)."""
        link = self.csms.link
        if link is None or link.closed.is_set():
            self._note("drop asked, but no connection is open")
            return
        self._note("connection dropped without a close frame")
        link.abort()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(CLOSE_S):
                await link.closed.wait()

    def refuse_for(self, seconds: float) -> None:
        """Refuse every reconnection attempt for ``seconds`` from now (HTTP 503)."""
        seconds = _bounded(seconds)
        self._note(f"reconnections refused for {seconds:g} s")
        self.csms.server.refuse_for(seconds)

    def accept(self) -> None:
        """End a refusal early: the station's next attempt is accepted."""
        self._note("reconnections accepted again")
        self.csms.server.accept_again()

    async def offline(self, seconds: float) -> None:
        """Drop the connection and refuse reconnections for ``seconds``: the station is offline
        for that long (the OCA's "closes the WebSocket connection AND does not accept a
        reconnect"); :meth:`accept` ends it earlier."""
        self.refuse_for(seconds)
        await self.drop()

    def half_open(self, seconds: float) -> None:
        """Stop reading the station's frames (its pings and CALLs go unanswered); after
        ``seconds`` the connection is dropped and reconnections are accepted again."""
        link = self.csms.link
        seconds = _bounded(seconds)
        if link is None or link.closed.is_set():
            self._note("half-open asked, but no connection is open")
            return
        self._note(f"half-open: the harness stops reading for {seconds:g} s, then drops")
        link.stop_reading()

        async def later() -> None:
            await asyncio.sleep(seconds)
            if not link.closed.is_set():
                self._note("half-open period over: connection dropped")
                link.abort()

        self._spawn(later())

    def delay_after_reconnect(self, delay_s: float, for_s: float) -> None:
        """On the station's next connection, hold back every frame the harness sends by
        ``delay_s`` for ``for_s`` seconds (then the link is normal again)."""
        delay_s, for_s = _bounded(delay_s), _bounded(for_s)
        current = self.csms.link
        self._note(f"frames delayed by {delay_s:g} s for {for_s:g} s after the next reconnect")

        async def watch() -> None:
            loop = asyncio.get_running_loop()
            deadline = loop.time() + MAX_FAULT_S
            while loop.time() < deadline:
                link = self.csms.link
                if link is not None and link is not current and not link.closed.is_set():
                    link.send_delay_s = delay_s
                    self._delayed.append(link)
                    self._note(f"reconnected: frames to the station delayed by {delay_s:g} s")
                    await asyncio.sleep(for_s)
                    link.send_delay_s = 0.0
                    self._note("frame delay over")
                    return
                await asyncio.sleep(0.02)

        self._spawn(watch())

    async def flap(self, times: int, down_s: float, up_s: float, *, within_s: float) -> None:
        """Take the link down (dropped, refused for ``down_s``) and let it up again for
        ``up_s``, ``times`` times; each reconnect is waited for up to ``within_s``."""
        times = max(0, min(times, 20))
        self._note(f"flapping link: {times} x (down {down_s:g} s, up {up_s:g} s)")
        for _ in range(times):
            await self.offline(down_s)
            await asyncio.sleep(_bounded(down_s))
            await self.csms.wait_connected(within_s, req="the station reconnects after a flap")
            await asyncio.sleep(_bounded(up_s))

    # -- teardown -----------------------------------------------------------------------------
    async def restore(self) -> None:
        """Undo every fault of this case: reconnections accepted, reading resumed, no delay."""
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=1)
        self.csms.server.accept_again()
        for delayed in self._delayed:
            delayed.send_delay_s = 0.0
        link = self.csms.link
        if link is not None:
            link.send_delay_s = 0.0
            with contextlib.suppress(Exception):
                link.resume_reading()
        if self.log:
            self.csms.trace.event("network faults undone: the link is normal again")
